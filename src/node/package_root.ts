/** The parampred package root (the folder holding its package.json), found from this module's location. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'parampred') return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`packageRoot: expected a parampred package.json above ${fileURLToPath(import.meta.url)}, found none`);
    dir = up;
  }
}

/** parampred's version from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
