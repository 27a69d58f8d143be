/**
 * The subcommand declarations (src/cli/command.ts): each command's help is generated from its one declaration, so
 * it lists every option it declares and every example, and every example is a command line its parser accepts.
 */
import { Command, CommanderError } from 'commander';
import { PassThrough } from 'node:stream';
import { buildCommand, choice, flag, givenOptions, GLOBAL_OPTIONS, parsed, repeated, text, valuesFromGiven, type AnyCommandSpec, type OptionSpecs } from '../../src/cli/command';
import { DATA_OPTIONS } from '../../src/cli/common';
import { makeContext } from '../../src/cli/context';
import { COMMAND_NAMES, loadCommand } from '../../src/cli/main';

const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} };
const build = (spec: AnyCommandSpec): Command => buildCommand(spec, (flags) => makeContext(io, flags));

/** Words of a shell command line, quotes removed; stops at a pipe or redirection (the next command's words). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|([|>])|(\S+)/g)) {
    if (match[3] !== undefined) break;
    out.push(match[1] ?? match[2] ?? match[4]);
  }
  return out;
}

/** The long flag of an option declaration, e.g. "--min-answered". */
const longFlag = (flags: string): string => flags.split(/[ ,]+/).find((part) => part.startsWith('--'))!;

const allOptions = (spec: AnyCommandSpec): OptionSpecs[] => [spec.options, ...Object.values(spec.groups ?? {}).map((g) => g.options), GLOBAL_OPTIONS.options];

describe.each(COMMAND_NAMES)('%s', (name) => {
  let spec: AnyCommandSpec;
  let help: string;
  let after: string;
  beforeAll(async () => {
    // Each command's module is imported when the command runs (cli/main.ts): load it as a run does.
    spec = await loadCommand(name);
    help = build(spec).helpInformation() + '\n';
    // addHelpText('after') is written on --help, not by helpInformation(): capture it through a real --help.
    let shown = '';
    const command = build(spec).exitOverride().configureOutput({ writeOut: (s) => (shown += s), writeErr: () => undefined });
    try {
      command.parse(['--help'], { from: 'user' });
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
    }
    after = shown;
  });

  test('its module declares the command under its name', () => {
    expect(spec.name).toBe(name);
  });

  test('help lists every declared option, under its group heading, and no hidden one', () => {
    expect(after.startsWith(help.trimEnd())).toBe(true);
    for (const options of allOptions(spec)) {
      for (const option of Object.values(options)) {
        if (option.hidden) expect(after).not.toContain(longFlag(option.flags));
        else expect(after).toContain(`  ${option.flags}`);
      }
    }
    for (const group of [...Object.values(spec.groups ?? {}), GLOBAL_OPTIONS]) expect(after).toContain(`\n${group.heading}\n`);
    expect(after.replace(/\s+/g, ' ')).toContain(spec.summary); // wrapped to the terminal width
  });

  test('help ends with every example, and each parses', () => {
    expect(spec.examples.length).toBeGreaterThan(0);
    expect(after.trimEnd().endsWith(`Examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`)).toBe(true);
    for (const example of spec.examples) {
      const argv = words(example.slice(example.lastIndexOf(`canrelax-analyze ${spec.name} `)));
      expect(argv.slice(0, 2)).toEqual(['canrelax-analyze', spec.name]);
      const command = build(spec).exitOverride();
      let parsed: Record<string, unknown> | null = null;
      command.action((...received: unknown[]) => {
        parsed = (received[received.length - 1] as Command).opts();
      });
      command.parse(argv.slice(2), { from: 'user' });
      expect(parsed).not.toBeNull();
    }
  });
});

describe('option declarations', () => {
  test('values reach the action typed and under their declared names, fallbacks and repeats included', async () => {
    let seen: unknown = null;
    const spec = {
      name: 'probe',
      summary: 'probe',
      arguments: [{ name: 'file', description: 'input' }],
      options: {
        pAdjust: choice('--p-adjust <method>', 'correction', ['none', 'holm'], 'none'),
        ref: repeated('--ref <col=level>', 'reference'),
        label: text('--label <text>', 'label'),
      },
      groups: { data: DATA_OPTIONS },
      examples: [],
      run: async (args: unknown, options: unknown, ctx: { color: boolean; debug: boolean }) => {
        seen = { args, options, color: ctx.color, debug: ctx.debug };
      },
    } as unknown as AnyCommandSpec;
    await build(spec).parseAsync(['in.csv', '--ref', 'sex=male', '--ref', 'arm=app', '--p-adjust', 'holm', '--where', 'arm=app', '--debug', '--no-color'], { from: 'user' });
    expect(seen).toMatchObject({
      args: { file: 'in.csv' },
      options: { pAdjust: 'holm', ref: ['sex=male', 'arm=app'], label: undefined, data: { where: 'arm=app', outOfRange: 'error', instrument: undefined } },
      color: false,
      debug: true,
    });
  });

  test('givenOptions records what the user gave by flag name: no fallbacks, no empties, no hidden options', () => {
    const values = { delimiter: ';', decimal: undefined, sheet: undefined, values: 'labels' as const, na: undefined, where: 'arm=app', compute: undefined, config: undefined, map: undefined, instrument: ['wai'], minAnswered: 0.5, outOfRange: 'error' as const, scores: undefined, chunkSize: 64 };
    expect(givenOptions(DATA_OPTIONS.options, values)).toEqual({ delimiter: ';', where: 'arm=app', instrument: ['wai'], 'min-answered': '0.5' });
    expect(givenOptions(DATA_OPTIONS.options, { ...values, outOfRange: 'missing', instrument: [] })).toEqual({ delimiter: ';', where: 'arm=app', 'min-answered': '0.5', 'out-of-range': 'missing' });
  });

  test('valuesFromGiven reads back what givenOptions recorded, for every kind of option (a flag given is recorded "true")', () => {
    const specs = {
      where: text('--where <filter>', ''),
      strict: flag('--strict', ''),
      color: GLOBAL_OPTIONS.options.color,
      policy: choice('--policy <p>', '', ['error', 'missing'], 'error'),
      instrument: repeated('--instrument <id>', ''),
      size: parsed('--size <n>', '', (v) => Number.parseInt(v, 10), 10),
    };
    const values = { where: 'arm=app', strict: true, color: false, policy: 'missing' as const, instrument: ['wai', 'x.json'], size: 64 };
    const given = givenOptions(specs, values);
    expect(given).toEqual({ where: 'arm=app', strict: 'true', 'no-color': 'false', policy: 'missing', instrument: ['wai', 'x.json'], size: '64' });
    expect(valuesFromGiven(specs, given)).toEqual({ values, unknown: [] });
    // Nothing given: every option at its fallback (an unset flag false, --no-color's colour on).
    expect(valuesFromGiven(specs, {}).values).toEqual({ where: undefined, strict: false, color: true, policy: 'error', instrument: undefined, size: 10 });
  });
});
