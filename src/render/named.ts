/**
 * An analysis's output as a front end shows it: the notes and reasons below render/ name options by key
 * (errors.ts Words, `words\`not pooled under ${option('missing')} mi\``), and each front end names them its own way —
 * the CLI as flags (`--missing`), the report as plan keys (`plan key "missing.method"`). Every text, table and JSON
 * made from the result reads it through here, so no key in quotes reaches a user.
 */
import { Words, type OptionNamer } from '../errors';

/**
 * `value` with every Words in it, at any depth of plain objects and arrays, made text by `name`. Anything else (class
 * instances such as Map, typed arrays, functions) is kept as it is; objects and arrays without Words are the same
 * objects, so a large result is not copied. The type stays T: each Words was one side of a `string | Words`.
 */
export function named<T>(value: T, name: OptionNamer): T {
  return nameIn(value, name, new Set()) as T;
}

function nameIn(value: unknown, name: OptionNamer, open: Set<object>): unknown {
  if (value instanceof Words) return value.text(name);
  if (value === null || typeof value !== 'object' || open.has(value)) return value;
  const isArray = Array.isArray(value);
  if (!isArray && Object.getPrototypeOf(value) !== Object.prototype) return value;
  open.add(value);
  let copy: Record<string, unknown> | unknown[] | null = null;
  for (const [key, item] of Object.entries(value)) {
    const shown = nameIn(item, name, open);
    if (shown === item) continue;
    copy ??= isArray ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
    (copy as Record<string, unknown>)[key] = shown;
  }
  open.delete(value);
  return copy ?? value;
}
