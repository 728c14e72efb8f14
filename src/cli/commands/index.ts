/** Every CLI subcommand, one file each. */
import type { Command } from 'commander';
import bench from './bench.js';
import buildNative from './build_native.js';
import compress from './compress.js';
import data from './data.js';
import demo from './demo.js';
import run from './run.js';
import reproduce from './reproduce.js';

export const commands: ((program: Command) => void)[] = [bench, data, run, reproduce, demo, compress, buildNative];
