/**
 * init: on the example, on a copy with every column renamed (WAI_01, PHQ9_01_T0, Gender, Age_years, Group,
 * Expectancy, Participant ID) and on its .sav copy, it writes a config and a plan with which `report` runs and gives
 * the example's numbers; what it cannot tell is a "TODO:" placeholder that validate reports.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, ROOT, expectOneLineError, runCli } from '../helpers/cli';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-init-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const RENAMED: Record<string, string> = { id: 'Participant ID', arm: 'Group', sex: 'Gender', age: 'Age_years', expectation: 'Expectancy' };
/** The example with its header renamed as another export would name the columns. */
function renamedCopy(): string {
  const [header, ...rest] = fs.readFileSync(EXAMPLE, 'utf8').split('\n');
  const names = header.split(',').map((c) => {
    if (RENAMED[c]) return RENAMED[c];
    const m = /^(wai|phq9|gad7)_(\d+)(?:_(t0|w10))?$/.exec(c)!;
    return `${m[1].toUpperCase()}_${m[2].padStart(2, '0')}${m[3] ? `_${m[3].toUpperCase()}` : ''}`;
  });
  const file = path.join(TMP, 'renamed.csv');
  fs.writeFileSync(file, [names.join(','), ...rest].join('\n'));
  return file;
}

async function init(file: string, dir: string, extra: string[] = []) {
  const r = await runCli(['init', file, '--dir', dir, ...extra]);
  if (r.code !== 0) throw new Error(r.stderr);
  return {
    out: r.stdout,
    config: JSON.parse(fs.readFileSync(path.join(dir, 'canrelax.config.json'), 'utf8')),
    plan: JSON.parse(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8')),
  };
}

/** The correlations step's numbers from a report written with init's config and plan. */
async function reportNumbers(file: string, dir: string) {
  const out = path.join(dir, 'report');
  const r = await runCli(['report', file, '--config', path.join(dir, 'canrelax.config.json'), '--plan', path.join(dir, 'plan.json'), '--out-dir', out]);
  if (r.code !== 0) throw new Error(r.stderr);
  const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
  const step = doc.steps.find((s: { id: string }) => s.id === 'correlations');
  return step.results.map((x: { r: number; p: number; n: number }) => [x.r, x.p, x.n]);
}

describe('init', () => {
  let exampleNumbers: unknown;

  test('on the example: every column as the schema names it, nothing to map, report runs', async () => {
    const dir = path.join(TMP, 'example');
    const { out, config, plan } = await init(EXAMPLE, dir);
    expect(config).toEqual({ instruments: ['wai', 'phqads'], roles: {}, map: {}, na: [], decimal: '.', delimiter: ',', categorical: [] });
    expect(plan).toMatchObject({ where: 'arm=app', x: ['alliance', 'bond', 'task', 'goal'], y: 'distress', covariates: ['age', 'sex', 'baseline', 'expectation'], stratifier: 'sex' });
    expect(out).toMatch(/^high {4}item wai_1 +wai_1 {2}\(same name; values 1–5 within 1–5\)$/m);
    expect(out).toMatch(/^high {4}role distress +phqads_total_w10 {2}\(the time point after baseline t0\)$/m);
    expect(out).toMatch(/^high {4}plan filter +arm=app/m);
    expect(out).not.toMatch(/TODO/);
    exampleNumbers = await reportNumbers(EXAMPLE, dir);
    // The default report's partial correlations of the example (docs/example-report/report.json); R's lm residuals
    // give the same r and p to 1e-14 (r: −0.177386943778717, −0.0188645971091258, −0.225726181834555,
    // −0.261594183057375; test/reference/published.json has them with their n).
    expect(exampleNumbers).toEqual([
      [-0.17738694377871694, 0.0702489631427899, 109],
      [-0.018864597109125573, 0.8485196118489615, 109],
      [-0.22572618183455492, 0.0212247210770794, 108],
      [-0.2615941830573744, 0.007309956812192619, 108],
    ]);
  }, 60_000);

  test('on a renamed copy: items mapped, roles by synonyms, the same report numbers', async () => {
    const file = renamedCopy();
    const dir = path.join(TMP, 'renamed');
    const { out, config, plan } = await init(file, dir);
    expect(config.map.WAI_01).toBe('wai_1');
    expect(config.map.PHQ9_09_T0).toBe('phq9_9_t0');
    expect(config.map.GAD7_07_W10).toBe('gad7_7_w10');
    expect(Object.keys(config.map)).toHaveLength(12 + 32);
    expect(config.roles).toEqual({ sex: 'Gender', age: 'Age_years', expectation: 'Expectancy' });
    expect(plan.where).toBe('Group=app');
    expect(out).toMatch(/^high {4}item wai_1 +WAI_01 {2}\(same name but for case, separators and leading zeros; values 1–5 within 1–5\)$/m);
    expect(out).toMatch(/^medium {2}sex +Gender {2}\(a name for sex; levels female, male\)$/m);
    expect(await reportNumbers(file, dir)).toEqual(exampleNumbers);
  }, 60_000);

  test('on the .sav copy: labelled arm and sex by their labels, the same report numbers', async () => {
    const file = path.join(ROOT, 'test/fixtures/spss-excel/canrelax.sav');
    const dir = path.join(TMP, 'sav');
    const { out, config, plan } = await init(file, dir);
    expect(config).toEqual({ instruments: ['wai', 'phqads'], roles: {}, map: {}, na: [], categorical: [] });
    expect(plan.where).toBe('arm=app');
    expect(out).toMatch(/^high {4}arm +arm {2}\(same name; SPSS value labels; numbers 1–2\)$/m);
    expect(out).toMatch(/^high {4}categorical sex +levels female, male {2}\(SPSS value labels\)$/m);
    expect(await reportNumbers(file, dir)).toEqual(exampleNumbers);
  }, 60_000);

  test('what it cannot tell is a TODO placeholder, which validate reports until filled', async () => {
    // Arms A/B (which is the intervention?), no expectation column, -99 for missing answers, a 0–4 coded WAI item.
    const lines = fs.readFileSync(EXAMPLE, 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const drop = header.indexOf('expectation');
    const arm = header.indexOf('arm');
    const wai1 = header.indexOf('wai_1');
    const rows = lines.map((line, i) => {
      const cells = line.split(',');
      if (i > 0) {
        cells[arm] = cells[arm] === 'app' ? 'A' : 'B';
        if (cells[wai1] !== '') cells[wai1] = String(Number(cells[wai1]) - 1);
        if (cells[header.indexOf('wai_2')] === '') cells[header.indexOf('wai_2')] = '-99';
      }
      cells.splice(drop, 1);
      return cells.join(',');
    });
    const file = path.join(TMP, 'unclear.csv');
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    const dir = path.join(TMP, 'unclear');
    const { out, config, plan } = await init(file, dir);
    expect(plan.where).toBe('TODO: arm=<the intervention arm: one of A, B>');
    expect(config.roles.expectation).toBe('TODO: the column of expectation');
    expect(config.na).toEqual(['-99']);
    expect(config.map['TODO: check wai_1: values 0–4, wai answers are whole numbers 1–5']).toBe('wai_1');
    expect(out).toMatch(/^TODO {4}plan filter +placeholder in "where"/m);
    expect(out).toMatch(/^high {4}missing code -99 +in "na" {2}\(\d+ cells in wai_2, far outside the other values\)$/m);
    expect(out).toMatch(/3 choices left as "TODO:" placeholders/);

    const v = await runCli(['validate', file, '--config', path.join(dir, 'canrelax.config.json'), '--plan', path.join(dir, 'plan.json')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/canrelax\.config\.json roles\.expectation: TODO: the column of expectation — fill it in/);
    expect(v.stdout).toMatch(/plan\.json where: TODO: arm=<the intervention arm: one of A, B> — fill it in/);
    expect(v.stdout).toMatch(/canrelax\.config\.json map: TODO: check wai_1/);
  }, 60_000);

  test('keeps existing files unless --force', async () => {
    const dir = path.join(TMP, 'example');
    expectOneLineError(await runCli(['init', EXAMPLE, '--dir', dir]), 2, /canrelax\.config\.json and .*plan\.json already exist, pass --force/);
    expect((await runCli(['init', EXAMPLE, '--dir', dir, '--force'])).code).toBe(0);
  });
});

describe('report --dry-run', () => {
  test('prints the plan as it would run on the input, writes nothing', async () => {
    const out = path.join(TMP, 'dry');
    const r = await runCli(['report', EXAMPLE, '--plan', path.join(ROOT, 'examples/plan.json'), '--dry-run', '--out-dir', out]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(out)).toBe(false);
    expect(r.stdout.split('\n')).toEqual([
      `plan: ${path.join(ROOT, 'examples/plan.json')}`,
      'title: CanRelax 2.0: working alliance at week 4 and distress at week 10 (app arm)',
      `input: ${EXAMPLE} (csv), 49 columns`,
      'filter: arm=app',
      'x: alliance (wai_total), bond (wai_bond), task (wai_task), goal (wai_goal)',
      'y: distress (phqads_total_w10)',
      'covariates: age, sex, baseline (phqads_total_t0), expectation',
      'stratifier: sex',
      'expectation: expectation adjusted for age, sex',
      'steps: 1. sample, 2. reliability, 3. correlations, 4. stratified, 5. moderation, 6. expectation, 7. sensitivity, 8. missing',
      'bootstrap: 2000 resamples, seed 2026; ci 0.95; p adjustment holm; Bayes factors on',
      // The missing-data settings under their plan keys, listed from the declarations (frame/missing-options.ts).
      'missing data: method listwise; imputations 20; iterations 10; seed 2026; auxiliary none; impute_by auto; mnar_delta -1, -0.5, 0.5, 1',
      '',
    ]);
  });

  test('under missing.method "mi" the Bayes factors are said to be off, as the correlations then carry none', async () => {
    const plan = path.join(TMP, 'mi-plan.json');
    fs.writeFileSync(plan, JSON.stringify({ missing: { method: 'mi' } }));
    const r = await runCli(['report', EXAMPLE, '--plan', plan, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Bayes factors off (no pooling rule under multiple imputation)\n');
    expect(r.stdout).toContain('missing data: method mi;');
  });
});
