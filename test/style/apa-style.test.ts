/**
 * APA style over everything a reader sees: every command's table and Markdown output, and report.md. No leading
 * zero on quantities bounded by 1 (r, p, FMI, shares), no ASCII hyphen-minus before a number outside code spans
 * (test/helpers/apa-style.ts). A command with a table or Markdown format must have its runs listed here: a new
 * command fails this test until it is added. report.md: the committed example report (every default step, checked
 * current by test/cli/example-report.test.ts) and the opt-in specification-curve step.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMAND_NAMES, loadCommand, type CommandName } from '../../src/cli/main';
import { apaStyleProblems } from '../helpers/apa-style';
import { EXAMPLE, ROOT, runCli } from '../helpers/cli';

const APP = ['--where', 'arm=app'];
/** Per command, the runs whose output is checked; [] for a command that prints no table or Markdown. */
const RUNS: Record<string, string[][]> = {
  score: [['score', EXAMPLE, '--summary']],
  validate: [['validate', EXAMPLE]],
  simulate: [],
  correlate: [
    ['correlate', EXAMPLE, ...APP, '--bayes'],
    ['correlate', EXAMPLE, ...APP, '--by', 'sex', '--bootstrap', '200'],
    ['correlate', EXAMPLE, ...APP, '--x', 'alliance', '--missing', 'mi', '--imputations', '3', '--iterations', '3', '--seed', '1', '--mnar-delta', '-1,-0.5,0.5'],
  ],
  model: [
    ['model', EXAMPLE, ...APP, '--y', 'distress', '--x', 'alliance', '--interaction', 'sex', '--adjust', 'age,baseline'],
    ['model', EXAMPLE, ...APP, '--y', 'distress', '--x', 'alliance', '--adjust', 'age,baseline', '--missing', 'mi', '--imputations', '3', '--iterations', '3', '--seed', '1'],
  ],
  mediate: [
    ['mediate', EXAMPLE, ...APP, '--x', 'expectation', '--m', 'alliance', '--y', 'distress', '--adjust', 'age,baseline', '--bootstrap', '200', '--seed', '1'],
    ['mediate', EXAMPLE, ...APP, '--x', 'expectation', '--m', 'alliance', '--y', 'distress', '--adjust', 'age,baseline', '--bootstrap', '200', '--missing', 'mi', '--imputations', '3', '--iterations', '3', '--seed', '1'],
  ],
  describe: [
    ['describe', EXAMPLE, ...APP, '--by', 'sex'],
    ['describe', EXAMPLE, ...APP, '--missing', 'mi', '--imputations', '3', '--iterations', '3', '--seed', '1'],
  ],
  power: [['power', '--r', '0.18', '--k', '4', '--power', '0.8'], ['power', '--n', '117', '--k', '4']],
  robustness: [['robustness', EXAMPLE, ...APP, '--x', 'alliance,bond', '--null-samples', '40']],
  report: [],
  init: [],
  measure: [['measure', EXAMPLE, ...APP, '--by', 'sex', '--bootstrap', '100', '--seed', '1']],
};

/** The formats a command offers that a person reads as text. */
async function readableFormats(name: CommandName): Promise<string[]> {
  const spec = await loadCommand(name);
  const format = Object.values(spec.options as Record<string, { flags: string; choices?: readonly string[] }>).find((o) => o.flags.startsWith('--format'));
  return (format?.choices ?? []).filter((f) => f === 'table' || f === 'markdown');
}

describe('APA style in every command’s tables and Markdown', () => {
  test('every command is listed', () => {
    const unlisted = COMMAND_NAMES.filter((name) => !(name in RUNS));
    // A new command joins by listing a run or two of its table/Markdown output in RUNS above ([] if it has none).
    expect({ unlisted, hint: 'list these commands in RUNS (test/style/apa-style.test.ts)' }).toEqual({ unlisted: [], hint: expect.any(String) });
    expect(Object.keys(RUNS).filter((name) => !(COMMAND_NAMES as string[]).includes(name))).toEqual([]);
  });
  for (const [name, runs] of Object.entries(RUNS)) {
    for (const args of runs) {
      test(args.filter((a) => a !== EXAMPLE).join(' '), async () => {
        const formats = name === 'score' ? ['table', 'markdown'] : await readableFormats(name as CommandName);
        expect(formats.length).toBeGreaterThan(0);
        for (const format of formats) {
          const r = await runCli([...args, '--format', format]);
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          expect({ format, problems: apaStyleProblems(r.stdout) }).toEqual({ format, problems: [] });
        }
      });
    }
  }
});

describe('APA style in report.md', () => {
  test('the example report (every default step)', () => {
    expect(apaStyleProblems(fs.readFileSync(path.join(ROOT, 'docs/example-report/report.md'), 'utf8'))).toEqual([]);
  });

  test('the specification-curve step', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-style-'));
    try {
      const plan = path.join(dir, 'plan.json');
      // One x: the step's words and table, at a quarter of the four curves' time.
      fs.writeFileSync(plan, JSON.stringify({ steps: ['robustness'], x: ['alliance'] }));
      const r = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', dir, '--formats', 'md']);
      expect(r.stderr).toBe('');
      const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
      expect(md).toContain('share significant');
      expect(apaStyleProblems(md)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the style check finds what it should', () => {
  test('leading zeros on bounded quantities, in text and in bounded columns', () => {
    const rules = (text: string) => apaStyleProblems(text).map((p) => p.rule);
    expect(rules('the share significant 0.28 and r = 0.18')).toEqual(['leading zero on a bounded quantity']);
    expect(rules('Proportion mediated not reported (p = 0.547 ≥ 0.05).')).toEqual(['leading zero on a bounded quantity']);
    expect(rules('| x | FMI | b |\n|---|---:|---:|\n| a | 0.09 | 0.50 |')).toEqual(['leading zero in the bounded column "FMI"']);
    expect(rules('│ x │ share sig. │\n├───┼───┤\n│ a │ 0.28 │')).toEqual(['leading zero in the bounded column "share sig."']);
    // Unbounded quantities keep their zero: b, SD, BF₁₀, δ.
    expect(rules('| x | b | SD | BF₁₀ |\n|---|---:|---:|---:|\n| a | 0.50 | 0.67 | 0.88 |\nδ = 0.5, b = 0.12')).toEqual([]);
  });

  test('an ASCII minus before a number, except in code', () => {
    const rules = (text: string) => apaStyleProblems(text).map((p) => p.rule);
    expect(rules('| δ = -1 | δ = −0.5 |')).toEqual(['ASCII hyphen-minus before a number (use −, U+2212)']);
    expect(rules('r = -.18')).toHaveLength(1);
    expect(rules('`--mnar-delta -1,1` and ```\n{"x": -1}\n``` and 1-5 and week-10 and −.18')).toEqual([]);
  });
});
