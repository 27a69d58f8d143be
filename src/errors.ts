/**
 * Errors the user can act on. Every one ends the command with a single line on stderr,
 * `canrelax-analyze: <what>, <where>, <what to do>`, and an exit code chosen here, in one place:
 *   2 — the command line is wrong (unknown option or column named in a flag, missing file, bad flag value);
 *   1 — the data are wrong (bad values, columns an instrument or the schema needs, no usable rows).
 * Anything else that escapes is a bug: it is reported as such (exit 1), with the stack only under --debug.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line asked for something that cannot be done (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The input data cannot be used as asked (exit 1). */
export class DataError extends CliError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'DataError';
  }
}

/** Up to `max` names closest to `name` by edit distance, for "did you mean" hints. */
export function nearestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const scored: Array<[number, string]> = [];
  // Each name once, and never the name that was not found (a role can name a column that is absent).
  for (const c of new Set(candidates)) if (c !== name) scored.push([editDistance(lower, c.toLowerCase()), c]);
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const limit = Math.max(2, Math.ceil(name.length / 2));
  return scored.filter(([d]) => d <= limit).slice(0, max).map(([, c]) => c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

// Messages quote cells, column names and paths: they are shown by the terminal rule (text.ts).
export { oneLine, shown } from './text';
