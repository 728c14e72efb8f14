/**
 * `parampred build-native [node-gyp flags…]` (`npx parampred build-native` from a project that installed
 * parampred): (re)builds the native oneDNN addon in parampred's own folder, with the install step's
 * script (scripts/build-native.mjs); fails with one line saying what to install when a tool is missing.
 */
import type { Command } from 'commander';

export default function register(program: Command): void {
  program
    .command('build-native')
    .description('build the native oneDNN backend (what `npm install` tries); needs oneDNN, g++, make, python3 (Debian: apt-get install -y libdnnl-dev g++ make python3)')
    .allowUnknownOption()
    .argument('[gypFlags...]', 'extra node-gyp flags, e.g. --nodedir=DIR or --debug')
    .action(async (gypFlags: string[]) => {
      const { spawnSync } = await import('node:child_process');
      const { join } = await import('node:path');
      const { packageRoot } = await import('../../node/package_root.js');
      const r = spawnSync(process.execPath, [join(packageRoot(), 'scripts', 'build-native.mjs'), ...gypFlags], { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    });
}
