import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The project's source folder. */
export const SRC = path.resolve(__dirname, '../../src');

/** Every .ts file under `dir`, at any depth (the architecture tests read each). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}
