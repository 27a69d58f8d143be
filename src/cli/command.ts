/**
 * A subcommand as data: its name, summary, arguments, typed options, notes, examples and action, declared once
 * in its own file with `defineCommand`. `buildCommand` turns one into a commander Command (commander stays the
 * parser: choices, defaults, unknown options and suggestions are its own), and the help text comes from the same
 * declaration — usage from the arguments, one line per option, each option group under its heading, then the
 * notes and the examples. The action receives the options under the names the declaration gave them, each with
 * the type its constructor (`text`, `flag`, `choice`, `repeated`, `parsed`) states, so no command casts.
 * An option an analysis, the reader or the imputation floor takes is not spelled here but made by `declared` from its
 * declaration (src/options.ts): its flag, help line, default and choices, and its value read (a number parsed) by it.
 */
import { Command, Option } from 'commander';
import { shownWith, type Words } from '../errors';
import type { OptionDeclaration, OptionDeclarations } from '../options';
import type { Context } from './context';
import { flagName } from './flag-name';

/** One option: commander's flags and description, and how its parsed value reads (the one place with a cast). */
export interface OptionSpec<T> {
  readonly flags: string;
  readonly description: string;
  readonly fallback?: T;
  readonly choices?: readonly string[];
  parse?(value: string, previous: T): T;
  readonly hidden?: boolean;
  readonly value: (parsed: unknown) => T;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;

/** The values of a set of options, each under its declared name with its declared type. */
export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]: O[K] extends OptionSpec<infer T> ? T : never };

/** Options several commands share, listed under their own heading, with notes printed after the listing. */
export interface OptionGroup<O extends OptionSpecs> {
  readonly heading: string;
  readonly notes?: string;
  readonly options: O;
}

export type OptionGroups = Readonly<Record<string, OptionGroup<OptionSpecs>>>;

type GroupValues<G extends OptionGroups> = { -readonly [K in keyof G]: OptionValues<G[K]['options']> };

/** What a command's `run` receives as options: its own values, and each group's under the group's key. */
export type CommandOptions<O extends OptionSpecs, G extends OptionGroups = Record<never, never>> = OptionValues<O> & GroupValues<G>;

export interface ArgumentSpec<A extends string> {
  readonly name: A;
  readonly description: string;
  /** May be left out (`[name]` in the usage); `run` then receives undefined for it, though typed as text. */
  readonly optional?: boolean;
}

export interface CommandSpec<A extends string, O extends OptionSpecs, G extends OptionGroups> {
  readonly name: string;
  /** One line: the command listing and the top of the command's help. */
  readonly summary: string;
  /** Positional arguments, in order (the usage line is built from them); required unless marked optional. */
  readonly arguments?: readonly ArgumentSpec<A>[];
  readonly options: O;
  /** Shared option groups; their values reach `run` under the group's key (e.g. `options.data`). */
  readonly groups?: G;
  /** Help paragraph after the option listing. */
  readonly notes?: string;
  /** Whole command lines, printed under "Examples:". */
  readonly examples: readonly string[];
  run(args: Record<A, string>, options: CommandOptions<O, G>, ctx: Context): Promise<void>;
}

export type AnyCommandSpec = CommandSpec<string, OptionSpecs, OptionGroups>;

/** Declares a command; the identity, there for the type inference of its arguments and options. */
export function defineCommand<const A extends string, O extends OptionSpecs, G extends OptionGroups = Record<never, never>>(
  spec: CommandSpec<A, O, G>,
): CommandSpec<A, O, G> {
  return spec;
}

/** `--name <value>`: the text as given; undefined when absent unless there is a fallback. */
export function text(flags: string, description: string): OptionSpec<string | undefined>;
export function text(flags: string, description: string, fallback: string): OptionSpec<string>;
export function text(flags: string, description: string, fallback?: string): OptionSpec<string> | OptionSpec<string | undefined> {
  return { flags, description, fallback, value: (parsed) => parsed as string | undefined };
}

/** `--name`: true when given. */
export function flag(flags: string, description: string): OptionSpec<boolean> {
  return { flags, description, value: (parsed) => parsed === true };
}

/** `--name <value>` restricted to `choices` (commander rejects anything else). */
export function choice<const C extends string>(flags: string, description: string, choices: readonly C[]): OptionSpec<C | undefined>;
export function choice<const C extends string>(flags: string, description: string, choices: readonly C[], fallback: C): OptionSpec<C>;
export function choice<const C extends string>(flags: string, description: string, choices: readonly C[], fallback?: C): OptionSpec<C> | OptionSpec<C | undefined> {
  return { flags, description, choices, fallback, value: (parsed) => parsed as C | undefined };
}

/** A repeatable `--name <value>`: every value in the order given, undefined when never given. */
export function repeated(flags: string, description: string): OptionSpec<string[] | undefined> {
  return {
    flags,
    description,
    parse: (value, previous) => [...(previous ?? []), value],
    value: (parsed) => parsed as string[] | undefined,
  };
}

/** `--name <value>` read by `parse` when given (which may throw a UsageError naming the flag). */
export function parsed<T>(flags: string, description: string, parse: (value: string) => T, fallback: T): OptionSpec<T> {
  return { flags, description, parse, fallback, value: (value) => value as T };
}

/**
 * The command-line option of a declaration (options.ts): `--kebab-key <placeholder>` (a flag: `--kebab-key`), its
 * description (or `own`, a command's own wording; options it names shown as flags), its default and choices, its text
 * read by the declaration (so a number arrives parsed, and a bad one is the declaration's error naming the flag).
 */
export function declared<D extends OptionDeclaration<any>>(declaration: D, own: string | Words = declaration.description): DeclaredSpec<D> {
  const description = shownWith(own, flagName);
  type T = D extends OptionDeclaration<infer V> ? V : never;
  const long = flagName(declaration.key);
  if (declaration.kind === 'flag') return { flags: long, description, hidden: declaration.hidden, value: (parsed: unknown) => parsed === true } as unknown as DeclaredSpec<D>;
  return {
    flags: `${long} <${declaration.placeholder ?? 'value'}>`,
    description,
    fallback: declaration.default,
    hidden: declaration.hidden,
    // commander checks a choice itself (its own message, and the allowed values in the help).
    ...(declaration.kind === 'choice' ? { choices: declaration.choices } : { parse: (text: string, previous: T) => declaration.fromText(text, previous) }),
    value: (parsed: unknown) => parsed as T,
  } as unknown as DeclaredSpec<D>;
}

/** The option of a declaration, its value undefined when not given unless the declaration has a default. */
export type DeclaredSpec<D> = D extends OptionDeclaration<infer T> ? (undefined extends D['default'] ? OptionSpec<T | undefined> : OptionSpec<T>) : never;

/** The command-line options of a set of declarations, under the same names. */
export function declaredOptions<D extends OptionDeclarations>(declarations: D): { [K in keyof D]: DeclaredSpec<D[K]> } {
  return Object.fromEntries(Object.entries(declarations).map(([name, declaration]) => [name, declared(declaration)])) as never;
}

/** The same option, left out of the help (for tests). */
export function hidden<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return { ...spec, hidden: true };
}

/** Options every command takes; they decide the run's Context rather than reach the action. */
export const GLOBAL_OPTIONS = {
  heading: 'Global options:',
  options: {
    color: { flags: '--no-color', description: 'no colour (also when NO_COLOR is set or output is not a terminal)', value: (v: unknown) => v !== false },
    debug: flag('--debug', 'show stack traces of internal errors'),
    quiet: flag('--quiet', 'no progress lines on stderr (they appear only on a terminal, for waits over a second)'),
  },
} satisfies OptionGroup<OptionSpecs>;

export type GlobalFlags = OptionValues<(typeof GLOBAL_OPTIONS)['options']>;

/** An option's long flag name without the dashes: `--min-answered <fraction>` → `min-answered`, `--no-color` → `no-color`. */
function longName(option: OptionSpec<unknown>): string {
  return option.flags.split(/[ ,]+/).find((part) => part.startsWith('--'))!.slice(2);
}

/**
 * An option's parsed value from its text as `givenOptions` records it (String of the value, every value of a
 * repeated option): through its own parser when it has one; a flag (no `<value>`) was recorded as "true" or "false".
 */
function fromText(option: OptionSpec<unknown>, recorded: string | string[]): unknown {
  const texts = Array.isArray(recorded) ? recorded : [recorded];
  if (option.parse) return texts.reduce<unknown>((previous, text) => option.parse!(text, previous as never), undefined);
  if (!/[<[]/.test(option.flags)) return recorded === 'true';
  return recorded;
}

/**
 * The inverse of `givenOptions`: the values of `specs` from options recorded as given (long flag name → text), each
 * read by `fromText`, the rest at their fallbacks. An unknown flag name is returned in `unknown`.
 */
export function valuesFromGiven<O extends OptionSpecs>(specs: O, given: Record<string, string | string[]>): { values: OptionValues<O>; unknown: string[] } {
  const byName = new Map(Object.entries(specs).map(([key, option]) => [longName(option), key]));
  const raw: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const key = byName.get(name);
    if (key === undefined) {
      unknown.push(name);
      continue;
    }
    raw[key] = fromText(specs[key], value);
  }
  const values = Object.fromEntries(Object.entries(specs).map(([key, option]) => [key, option.value(key in raw ? raw[key] : option.fallback)]));
  return { values: values as OptionValues<O>, unknown };
}

/**
 * The options the user gave, under their long flag names (for a record of the run): values that are neither
 * absent, empty nor the fallback as read (an unset flag is false); hidden options left out.
 */
export function givenOptions<O extends OptionSpecs>(specs: O, values: OptionValues<O>): Record<string, string | string[]> {
  const given: Record<string, string | string[]> = {};
  for (const [key, option] of Object.entries(specs)) {
    const value = (values as Record<string, unknown>)[key];
    if (option.hidden || value === undefined || value === option.value(option.fallback) || (Array.isArray(value) && value.length === 0)) continue;
    given[longName(option)] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return given;
}

/** The commander Command of a declaration; `contextFor` makes the run's Context from the global flags. */
export function buildCommand(spec: AnyCommandSpec, contextFor: (flags: GlobalFlags) => Context): Command {
  const command = new Command(spec.name).description(spec.summary);
  const names = (spec.arguments ?? []).map((argument) => {
    command.argument(argument.optional ? `[${argument.name}]` : `<${argument.name}>`, argument.description);
    return argument.name;
  });
  const attributes = new Set<string>();
  /** Adds the options to the command; returns how to read their values from commander's parsed options. */
  const declare = (specs: OptionSpecs, heading: string | null) => {
    const keys = Object.entries(specs).map(([key, option]) => {
      const built = new Option(option.flags, option.description);
      if (option.choices) built.choices(option.choices);
      if (option.fallback !== undefined) built.default(option.fallback);
      if (option.parse) built.argParser(option.parse);
      if (option.hidden) built.hideHelp();
      if (heading !== null) built.helpGroup(heading);
      const attribute = built.attributeName();
      if (attributes.has(attribute)) throw new Error(`${spec.name}: option ${option.flags} is declared twice`);
      attributes.add(attribute);
      command.addOption(built);
      return [key, attribute, option] as const;
    });
    return (opts: Record<string, unknown>) => Object.fromEntries(keys.map(([key, attribute, option]) => [key, option.value(opts[attribute])]));
  };
  const own = declare(spec.options, null);
  const groups = Object.entries(spec.groups ?? {}).map(([key, group]) => [key, declare(group.options, group.heading)] as const);
  const global = declare(GLOBAL_OPTIONS.options, GLOBAL_OPTIONS.heading);

  const sections = [
    ...Object.values(spec.groups ?? {}).map((group) => group.notes),
    spec.notes,
    spec.examples.length > 0 ? `Examples:\n${spec.examples.map((line) => `  ${line}`).join('\n')}` : undefined,
  ].filter((section): section is string => section !== undefined);
  if (sections.length > 0) command.addHelpText('after', `\n${sections.join('\n\n')}`);

  command.action(async (...received: unknown[]) => {
    const opts = (received[received.length - 1] as Command).opts();
    const args = Object.fromEntries(names.map((name, i) => [name, received[i] as string]));
    const values = { ...own(opts), ...Object.fromEntries(groups.map(([key, read]) => [key, read(opts)])) };
    const ctx = contextFor(global(opts) as GlobalFlags);
    await spec.run(args, values as Parameters<AnyCommandSpec['run']>[1], ctx);
  });
  return command;
}
