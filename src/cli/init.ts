/**
 * init — from an unknown export to a working config: reads the file once (src/data/inspect.ts), prints every choice
 * with its reason and confidence, and writes canrelax.config.json and plan.json. What it cannot choose with confidence
 * is a placeholder ("TODO: …") that `validate` reports until it is filled in. Existing files are kept unless --force.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { option, UsageError } from '../errors';
import { BUILT_IN } from '../instruments/definition';
import { inferSetup, profileColumns } from '../data/inspect';
import { openInput } from '../io/input';
import { makeFolder, Output } from '../io/output';
import { declared, defineCommand, flag, text } from './command';
import { READING_OPTIONS } from '../data/reading-options';
import { INPUT_FILE } from './common';
import { terminalText } from '../text';

const options = {
  dir: text('--dir <folder>', 'where to write canrelax.config.json and plan.json', '.'),
  force: flag('--force', 'replace canrelax.config.json and plan.json if they exist'),
  delimiter: declared(READING_OPTIONS.delimiter, 'CSV field delimiter: "," ";" or tab (default: read off the header)'),
  sheet: declared(READING_OPTIONS.sheet),
};

export const initCommand = defineCommand({
  name: 'init',
  summary: 'inspect an export and write canrelax.config.json and plan.json for it, printing every choice',
  arguments: [INPUT_FILE],
  options,
  notes: `Matches columns to the instruments' items and to the roles by name (case, separators and leading zeros
aside; known synonyms such as gender for sex) and checks them by their values; finds missing-value codes (-99, 999,
n/a), the decimal mark and categorical columns. A choice it cannot make with confidence is written as "TODO: …":
validate reports each until it is filled in. Then: canrelax-analyze report FILE --plan plan.json --dry-run.`,
  examples: ['canrelax-analyze init export.sav', 'canrelax-analyze init export.csv --dir analysis --force'],
  async run({ file }, opts, ctx) {
    const configPath = join(opts.dir, 'canrelax.config.json');
    const planPath = join(opts.dir, 'plan.json');
    if (!opts.force) {
      const present = [configPath, planPath].filter((p) => existsSync(p));
      if (present.length > 0) throw new UsageError(`${present.join(' and ')} already exist${present.length === 1 ? 's' : ''}, pass --force to replace, or --dir another folder`);
    }
    const input = await openInput({ path: file, delimiter: opts.delimiter, sheet: opts.sheet }, ctx);
    const profiles = await profileColumns(input);
    const setup = inferSetup(profiles, [...BUILT_IN.values()], input);

    const lines = [`${input.source} (${input.format}): ${profiles.length} columns`];
    const width = Math.max(...setup.choices.map((c) => c.what.length));
    for (const c of setup.choices) {
      const mark = c.confidence === 'none' ? 'TODO  ' : c.confidence === 'high' ? 'high  ' : 'medium';
      lines.push(`${mark}  ${c.what.padEnd(width)}  ${c.choice}  (${c.why})`);
    }
    makeFolder(opts.dir, option('dir'));
    // Both opened (and checked against the input) before either is written: a refusal leaves neither.
    const outs = [Output.open(configPath, file, ctx, option('dir')), Output.open(planPath, file, ctx, option('dir'))];
    outs[0].write(`${JSON.stringify(setup.config, null, 2)}\n`);
    outs[1].write(`${JSON.stringify(setup.plan, null, 2)}\n`);
    for (const out of outs) await out.close();
    lines.push(`wrote ${configPath} and ${planPath}`);
    // The sheet is not a config key: the commands that read the workbook need --sheet too.
    const reading = `${opts.sheet !== undefined ? ` --sheet ${opts.sheet}` : ''}`;
    lines.push(
      setup.placeholders > 0
        ? `${setup.placeholders} choice${setup.placeholders === 1 ? '' : 's'} left as "TODO:" placeholders: fill them in, then canrelax-analyze validate ${file}${reading} --config ${configPath} --plan ${planPath}`
        : `next: canrelax-analyze report ${file}${reading} --config ${configPath} --plan ${planPath} --dry-run`,
    );
    ctx.stdout.write(lines.map((l) => `${terminalText(l)}\n`).join(''));
  },
});
