/**
 * The report's moderation step under the plan's missing.method "mi" is `model --missing mi` with the same settings
 * (issue 19: "simple slopes pooled too"): its pooled coefficients, R² and simple slopes are the command's, and its text
 * says how they were pooled and that the diagnostics, which have no pooling rule, are left out. With nothing missing
 * it is the listwise model, rows named by their ids; where its variables cannot be imputed it is the listwise model,
 * and says why, and the report goes on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, runCli, runJson } from '../helpers/cli';

test('plan missing.method "mi": the moderation step equals model --missing mi, and says the diagnostics are not pooled', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-moderation-mi-'));
  try {
    const plan = path.join(out, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ plan_version: 1, steps: ['moderation'], missing: { method: 'mi', imputations: 3, iterations: 3, seed: 4 } }));
    const report = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json,md']);
    expect(report).toMatchObject({ code: 0 });
    const step = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).steps.find((s: { id: string }) => s.id === 'moderation');
    // The default plan's moderation model: distress ~ alliance × sex + age, baseline, expectation, on the app arm.
    const command = await runJson([
      'model', EXAMPLE, '--where', 'arm=app', '--y', 'distress', '--x', 'alliance', '--interaction', 'sex', '--adjust', 'age,baseline,expectation',
      '--missing', 'mi', '--imputations', '3', '--iterations', '3', '--seed', '4',
    ]);
    // The same numbers, not merely close: the same fits on the same completed data sets, pooled the same way.
    expect(step.models).toEqual(command.models);
    const [m] = step.models;
    expect(m.r2_pooled.estimate).toEqual(expect.any(Number));
    expect(m.simple_slopes.map((s: { level: string; df: number }) => [s.level, typeof s.df])).toEqual([
      ['female', 'number'],
      ['male', 'number'],
    ]);
    expect(step.analysis.missing).toBe('mi');

    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain("every row kept and its missing values imputed 3 times; coefficients pooled over the imputations by Rubin's rules; pooled *R*² = ");
    expect(md).toContain("Diagnostics (Cook's distance, leverage, VIFs) have no pooling rule over imputations and are not reported here");
    expect(md).toContain('| Term | b | SE | t | p | 95% CI | df | FMI |');
    expect(md).not.toContain('Listwise deletion: ');
    expect(md).not.toContain("largest Cook's distance");
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

describe('the moderation step under "mi", off the example', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-moderation-mi-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  const lines = fs.readFileSync(EXAMPLE, 'utf8').trimEnd().split('\n');
  const report = async (name: string, rows: string[], plan: object) => {
    const file = path.join(out, `${name}.csv`);
    fs.writeFileSync(file, rows.join('\n') + '\n');
    fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ plan_version: 1, steps: ['moderation'], ...plan }));
    const r = await runCli(['report', file, '--plan', path.join(out, `${name}.json`), '--out-dir', path.join(out, name), '--formats', 'json,md']);
    expect(r).toMatchObject({ code: 0 });
    const step = JSON.parse(fs.readFileSync(path.join(out, name, 'report.json'), 'utf8')).steps[0];
    return { step, md: fs.readFileSync(path.join(out, name, 'report.md'), 'utf8') };
  };

  test('nothing missing: the listwise model, its rows named by their ids as listwise names them', async () => {
    // The example's rows with every cell answered (49 of them, all in the app arm).
    const complete = [lines[0], ...lines.slice(1).filter((line) => !line.split(',').includes(''))];
    const mi = await report('complete-mi', complete, { missing: { method: 'mi', imputations: 3, iterations: 3, seed: 4 } });
    const listwise = await report('complete', complete, {});
    expect(mi.step.models).toEqual(listwise.step.models);
    expect(mi.step.models[0].diagnostics.cooks_max_id).toMatch(/^CR\d{4}$/);
    expect(mi.md).toMatch(/the largest Cook's distance was [0-9.]+ \(row CR\d{4}\)/);
  });

  test('a stratifier of three levels with blanks cannot be imputed: the listwise model, and why; the report goes on', async () => {
    // A three-level group (a, b, c by turns), blank in every tenth row (12 of the app arm's).
    const grouped = lines.map((line, i) => `${line},${i === 0 ? 'grp3' : i % 10 === 0 ? '' : 'abc'[i % 3]}`);
    const { step, md } = await report('grp3', grouped, { stratifier: 'grp3', missing: { method: 'mi', imputations: 2, iterations: 2, seed: 4 } });
    expect(step.analysis.missing).toBeUndefined();
    expect(step.analysis.notes).toContain('not imputed (grp3 is a factor with 3 levels and 12 missing values: only numeric and two-level variables are imputed): fitted by listwise deletion');
    expect(md).toContain('The model could not be fitted under multiple imputation (grp3 is a factor with 3 levels and 12 missing values: only numeric and two-level variables are imputed); it is fitted by listwise deletion.');
    expect(md).toContain('Listwise deletion: ');
  });
});
