#!/usr/bin/env node
/** The `parampred` command line: each subcommand lives in commands/<name>.ts and registers itself here. */
import { Command } from 'commander';
import { packageVersion } from '../node/package_root.js';
import { ParampredError } from '../core/errors.js';
import { commands } from './commands/index.js';

const program = new Command('parampred').version(packageVersion()).showHelpAfterError();
for (const register of commands) register(program);
// the description promises only what is registered: compression once a `compress` command exists
const compress = program.commands.some((c) => c.name() === 'compress');
program.description(`Train networks that predict most of their weights (Denil et al. 2013)${compress ? '; compress trained ones (Denton et al. 2014)' : ''}.`);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ParampredError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  throw e;
});
