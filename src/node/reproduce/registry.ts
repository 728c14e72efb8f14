/**
 * The registry of reproductions (`parampred reproduce <name>`): one definition file each
 * (reproduction.ts's Reproduction), one line here.
 */
import { unknownName } from '../../core/errors.js';
import type { Reproduction } from './reproduction.js';
import { mnistReproduction } from './mnist.js';
import { letterReproduction, madelonReproduction } from './notopo.js';
import { cifarReproduction } from './cifar.js';

export const reproductions = {
  mnist: mnistReproduction,
  letter: letterReproduction,
  madelon: madelonReproduction,
  cifar: cifarReproduction,
} as const satisfies Record<string, Reproduction>;

export const reproductionNames = Object.keys(reproductions) as (keyof typeof reproductions)[];

/** The reproduction registered under `name`, or a ParampredError listing the known ones. */
export function getReproduction(name: string, fn = 'getReproduction'): Reproduction {
  if (!Object.hasOwn(reproductions, name)) throw unknownName(fn, 'reproduction', name, reproductionNames);
  return reproductions[name as keyof typeof reproductions];
}
