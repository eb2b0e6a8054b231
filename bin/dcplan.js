#!/usr/bin/env node
// dcplan command-line entry: registers tsx so the TypeScript sources run directly (no build step),
// then hands over to server/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli.ts');
process.exitCode = await main(process.argv);
