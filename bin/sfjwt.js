#!/usr/bin/env node
// Entry point of `npx sfjwt`: the compiled CLI in dist/ (`npm run build`; `npm ci` runs it as the
// prepare script, and the published package ships dist/). Plain JavaScript, so no transpiler runs.
// main returns the exit code; should it return nothing, it has set process.exitCode itself.
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (error) {
  // A checkout where dist/ was never built: say how to build it rather than print a stack.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || error.url !== entry.href) throw error;
  process.stderr.write('sfjwt: the compiled CLI (dist/src/cli/main.js) is missing\n  → In a checkout of sfjwt, build it: npm run build (npm ci does it too).\n');
  process.exitCode = 2;
}
if (main !== undefined) {
  const code = await main(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
}
