#!/usr/bin/env node
// Entry point of `npx sfjwt`. The sources are TypeScript and are run through tsx's loader, so a
// fresh checkout works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
