/** The token endpoint as a pipeline: decide (pure) -> render (wire bytes) -> commit (state). */
export { type CommitTarget, commit, traceOf } from './commit.ts';
export { decide } from './decide.ts';
export type { Changes, Decision, TokenAnswer } from './decision.ts';
export { render } from './render.ts';
export { type Route, readsBody, type TokenRequest, type TokenState, type TokenWorld } from './request.ts';
