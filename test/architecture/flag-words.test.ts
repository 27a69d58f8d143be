/**
 * No text below render/ spells a command-line flag (issue 19): a message or note there names an option by its key
 * (errors.ts option, words`…`), and each front end names it its own way — the CLI as `--adjust`, the report as
 * `plan key "covariates"`. Read with TypeScript's parser, so comments are skipped and every string literal and every
 * piece of a template is seen, however it is split over lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SRC, sourceFiles } from '../helpers/source-files';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CliError } from '../../src/errors';
import { flagName } from '../../src/cli/flag-name';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { correlate, type CorrelateOptions } from '../../src/analyses/correlate';
import { renderCorrelate } from '../../src/render/correlate';
import { runReport } from '../../src/report/run';
import { runCli } from '../helpers/cli';
import type { PlanInput } from '../../src/report/plan';
import type { ReportSource } from '../../src/report/step';

const EXAMPLE = path.resolve(__dirname, '../../examples/canrelax-synthetic.csv');
/** What lies below render/: the folders and top-level files ranked under it in test/architecture/layers.test.ts. */
const BELOW_RENDER = ['errors.ts', 'text.ts', 'version.ts', 'options.ts', 'stats', 'io', 'instruments', 'data', 'frame', 'analyses'];

/** `--` followed by a letter: how a long flag is spelled. */
const FLAG = /--[A-Za-z]/;

/** The literal texts of a source (strings, templates' pieces) that spell a flag, as `line: text`. */
export function flagTexts(text: string, fileName = 'x.ts'): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (FLAG.test(node.text)) found.push(`${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no string below render/ names a command-line flag (issue 19)', () => {
  test('the check sees strings and template pieces, not comments', () => {
    const sample = [
      '// pass --adjust here (a comment)',
      "const a = 'use --by';",
      'const b = `x ${y} then --where ${z}`;',
      '/* --ref */ const c = "a - b -- 1";',
      'const d = words`${option("adjust")} names it`;',
    ].join('\n');
    expect(flagTexts(sample)).toEqual(['2: use --by', '3:  then --where ']);
  });

  test.each(BELOW_RENDER)('src/%s', (folder) => {
    const files = folder.endsWith('.ts') ? [path.join(SRC, folder)] : sourceFiles(path.join(SRC, folder));
    const offenders = files.flatMap((file) =>
      flagTexts(readFileSync(file, 'utf8'), file).map((hit) => `${path.relative(SRC, file)}:${hit}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the report names plan keys where the command line names flags (issue 19)', () => {
  const open = (where: string | null) => Dataset.open(EXAMPLE, where === null ? {} : { where }, { stdin: chunksOf(Buffer.alloc(0)), quiet: true });
  const source: ReportSource = { path: EXAMPLE, sha256: '', bytes: 0, published: null, open, probe: () => open(null) };
  /** A plan of these keys: few resamples and imputations, no Bayes factors (the names do not depend on them). */
  const plan = (over: PlanInput): PlanInput => ({ plan_version: 1, bootstrap: { resamples: 100, seed: 1 }, bayes: false, missing: { imputations: 2, iterations: 2 }, ...over });
  const FLAG = /--[a-z]/;
  const correlateOptions = (over: Partial<CorrelateOptions>): CorrelateOptions => ({
    x: ['alliance'], y: ['distress'], adjust: [], method: 'pearson', by: null, ciLevel: 0.95, alternative: 'two-sided', pAdjust: 'none',
    semi: null, bootstrap: null, seed: 1, ref: new Map(), categorical: new Set(), listExcluded: false, idColumn: 'id', ...over,
  });

  test('a filter that keeps no usable row: correlate says --where, the report\'s step says plan key "where"', async () => {
    let cli: CliError | null = null;
    try {
      await correlate(await open('arm=waitlist'), correlateOptions({}));
    } catch (error) {
      cli = error as CliError;
    }
    expect(cli?.shown(flagName)).toMatch(/\(after --where arm=waitlist\)/);
    const failed = await runReport(source, plan({ where: 'arm=waitlist', steps: ['correlations'] }), 'p.json', null).catch((error: CliError) => error);
    expect(failed).toBeInstanceOf(CliError);
    const shown = (failed as CliError).shown(flagName);
    expect(shown).toMatch(/^step "correlations": .*\(after plan key "where" arm=waitlist\)/);
    expect(shown).not.toMatch(FLAG);
  });

  test('a text covariate\'s note: "unless --ref" on the command line, "unless plan key \\"reference\\"" in the report and its JSON', async () => {
    const options = correlateOptions({ adjust: ['age', 'sex'] });
    const dataset = await open('arm=app');
    const output = await correlate(dataset, options);
    const note = 'sex is text and enters as categorical (levels female, male; reference female unless --ref)';
    expect(JSON.parse(renderCorrelate(output, dataset, options, 'json', { color: false, width: null }, flagName)).analysis.notes).toContain(note);
    const run = await runReport(source, plan({ covariates: ['age', 'sex'], steps: ['correlations'] }), 'p.json', null);
    const said = JSON.stringify([run.entries, run.steps.map((s) => s.result)]);
    expect(said).toContain(note.replace('--ref', 'plan key \\"reference\\"'));
    expect(said).not.toMatch(FLAG);
  });

  test('an answer out of range: the report names config key "na" without the config alternative, and --out-of-range, a flag it takes only as one', async () => {
    const lines = readFileSync(EXAMPLE, 'utf8').split('\n');
    const header = lines[0].split(',');
    const damaged = (answer: string) => {
      const cells = lines[1].split(',');
      cells[header.indexOf('phq9_2_t0')] = answer;
      return [lines[0], cells.join(','), ...lines.slice(2)].join('\n');
    };
    const messages: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'flag-words-'));
    try {
      for (const answer of ['-99', '9']) {
        const file = path.join(dir, 'damaged.csv');
        writeFileSync(file, damaged(answer));
        const result = await runCli(['report', file, '--out-dir', path.join(dir, 'out')]);
        expect(result.code).toBe(1);
        messages.push(result.stderr.trim());
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(messages[0]).toMatch(/^canrelax-analyze: step "sample": answer -99 is outside 0–3 at line 2, column "phq9_2_t0", .*damaged\.csv, if -99 is a missing code, pass config key "na" -99; else correct it$/);
    expect(messages[1]).toMatch(/answer 9 is outside 0–3 at line 2, .*, correct it or pass --out-of-range missing$/);
  });

  test('a filter of the plan that is not one: plan key "where", each time', async () => {
    const failed = await runReport(source, plan({ where: 'arm=app,sex', steps: ['sample'] }), 'p.json', null).catch((error: CliError) => error);
    expect(failed).toBeInstanceOf(CliError);
    expect((failed as CliError).shown(flagName)).toMatch(/plan key "where" condition "sex" is not column<op>value, use = != < <= > >= as in plan key "where" "arm=app,age>=18"$/);
  });

  test('multiple imputation refused on the whole file: the reason names plan key "where", not --where', async () => {
    const run = await runReport(source, plan({ where: null, covariates: ['age', 'sex'], missing: { method: 'mi', imputations: 2, iterations: 2 }, steps: ['missing'] }), 'p.json', null);
    const entry = run.entries[0] as { reason?: string };
    expect(entry.reason).toMatch(/nothing to impute it from; analyse the groups that have it, e.g. plan key "where" arm=app$/);
    expect(JSON.stringify(run.entries)).not.toMatch(FLAG);
  });
});
