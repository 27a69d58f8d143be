/**
 * The report's moderation step under the plan's missing.method "mi" is `model --missing mi` with the same settings
 * (issue 19: "simple slopes pooled too"): its pooled coefficients, R² and simple slopes are the command's, and its text
 * says how they were pooled and that the diagnostics, which have no pooling rule, are left out.
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
