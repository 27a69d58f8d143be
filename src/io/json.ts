/**
 * JSON read from a file the user gives (a plan, config, instrument definition, published values, spec file, a
 * report.json to replay): JSON.parse, then a bound on nesting. V8 parses any depth, but every reader after it (the
 * checks of each key, messages that quote a value, JSON.stringify) walks the value recursively: 10⁵ nested arrays
 * overflowed the stack there. No file of ours nests beyond a dozen levels.
 */

/** Deepest nesting of arrays and objects accepted. */
export const MAX_JSON_DEPTH = 64;

/**
 * The value of `text`; a SyntaxError for text that is not JSON or nests deeper than MAX_JSON_DEPTH, so the caller's
 * "is not valid JSON (reason)" message covers both. The depth is measured without recursion (a stack of the values
 * still to visit).
 */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [at, depth] = pending.pop()!;
    if (at === null || typeof at !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) throw new SyntaxError(`arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels`);
    for (const inner of Object.values(at)) if (inner !== null && typeof inner === 'object') pending.push([inner, depth + 1]);
  }
  return value;
}
