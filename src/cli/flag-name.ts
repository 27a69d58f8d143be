import type { OptionNamer } from '../errors';

/**
 * How the command line names an option a message below it names by key (errors.ts option): its long flag,
 * `adjust` → `--adjust`, `minAnswered` → `--min-answered` (commander's attribute name read backwards).
 */
export const flagName: OptionNamer = (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

