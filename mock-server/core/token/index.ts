/** The token endpoint as a pipeline: decide (pure) -> render (wire bytes) -> commit (state). */
export { commit, traceOf, type CommitTarget } from './commit.ts';
export { decide } from './decide.ts';
export type { Changes, Decision, TokenAnswer } from './decision.ts';
export { render } from './render.ts';
export { readsBody, type Route, type TokenRequest, type TokenState, type TokenWorld } from './request.ts';
