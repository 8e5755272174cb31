#!/usr/bin/env node
// Entry point for `npx accsim`: runs the compiled CLI (built by `npm ci` via the prepare script).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv);
