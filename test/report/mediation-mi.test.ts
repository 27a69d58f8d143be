/**
 * The report's mediation step under the plan's missing.method "mi" is `mediate --missing mi` with the same settings
 * (issue 19): its pooled a, b, c, c′, the indirect effect and its MI-then-bootstrap interval are the command's, and
 * its text says how they were pooled (percentile interval, no BCa, no proportion mediated). And the correlation steps'
 * notes say the imputation under "mi", where they said "Listwise deletion …: 0".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { correlate, type CorrelateOptions } from '../../src/analyses/correlate';
import type { MissingOptions } from '../../src/frame/missing';
import { METHOD_NOTE, rowsNote } from '../../src/report/correlation-text';
import { Labels } from '../../src/report/wording';
import Ajv from 'ajv';
import { EXAMPLE, REFERENCE, ROOT, runCli, runJson } from '../helpers/cli';

const schemaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8'));

test('plan missing.method "mi": the mediation step equals mediate --missing mi, and its text says MI-then-bootstrap', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-mediation-mi-'));
  try {
    // One seed for the bootstrap and the imputations, as mediate's --seed seeds both.
    const plan = path.join(out, 'plan.json');
    const settings = { plan_version: 1, steps: ['mediation'], bootstrap: { resamples: 120, seed: 9 }, missing: { method: 'mi', imputations: 3, iterations: 3, seed: 9 } };
    fs.writeFileSync(plan, JSON.stringify(settings));
    const report = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json,md']);
    expect(report).toMatchObject({ code: 0 });
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const name of ['correlate', 'model', 'mediate', 'measure', 'plan', 'robustness']) ajv.addSchema(schemaOf(name));
    const valid = ajv.compile(schemaOf('report'));
    expect(valid(doc) ? [] : valid.errors).toEqual([]);
    const step = doc.steps.find((s: { id: string }) => s.id === 'mediation');

    const command = await runJson([
      'mediate', EXAMPLE, '--where', 'arm=app', '--x', 'expectation', '--m', 'alliance', '--y', 'distress', '--adjust', 'age,sex,baseline',
      '--bootstrap', '120', '--seed', '9', '--missing', 'mi', '--imputations', '3', '--iterations', '3',
    ]);
    expect(step.analysis.missing).toBe('mi');
    expect(step.analysis.imputations).toBe(3);
    // The same numbers, not merely close: the same fits on the same completed data sets, pooled the same way.
    // (Its reasons name options as the report does: plan keys where the command names flags.)
    expect(command.mediation[0].proportion_mediated_reason).toBe('not pooled under --missing mi');
    expect(step.mediation).toEqual([{ ...command.mediation[0], proportion_mediated_reason: 'not pooled under plan key "missing.method" mi' }]);
    const [entry] = step.mediation;
    for (const p of ['a', 'b', 'c', 'c_prime']) expect(entry.paths[p].mi.dfcom).toEqual(expect.any(Number));
    expect(entry.indirect.ci_bca).toBeNull();
    expect(entry.indirect.ci_percentile).toEqual([expect.any(Number), expect.any(Number)]);

    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('every row kept and its missing values imputed 3 times');
    expect(md).toContain('(the mean of *a*·*b* over the 3 imputations)');
    expect(md).toMatch(/Indirect-effect interval: MI-then-bootstrap, 40 resamples within each of the 3 completed data sets \(seeds 9 to 11\), pooled; percentile \[[^\]]+\], no BCa\./);
    expect(md).toContain('The proportion mediated *a*·*b*/*c* is not reported: it has no pooling rule over imputations.');
    expect(md).not.toContain('Listwise deletion: ');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

describe('the correlation steps say how their rows were used', () => {
  const SAT = path.join(REFERENCE, 'sat_act.csv');
  const open = () => Dataset.open(SAT, {}, { stdin: chunksOf(Buffer.alloc(0)) });
  const options = (missing?: MissingOptions): CorrelateOptions => ({
    x: ['ACT'], y: ['SATQ'], adjust: ['age'], method: 'pearson', by: null, ciLevel: 0.95, alternative: 'two-sided', pAdjust: 'none',
    semi: null, bootstrap: null, seed: 1, ref: new Map(), categorical: new Set(), listExcluded: false, idColumn: 'id', missing,
  });
  const labels = new Labels(new Map());

  test('listwise: the rows each analysis left out (sat_act lacks SATQ in 13 rows)', async () => {
    const output = await correlate(await open(), options());
    expect(rowsNote(output, 'x', labels)).toBe('Listwise deletion per analysis, rows left out: ACT 13 (missing: SATQ 13).');
    expect(METHOD_NOTE(0.95, output)).toMatch(/^Pearson partial correlations; 95% CI by Fisher z on n − 3 − k/);
  });

  test('plan missing.method "mi": the imputation and the pooling, not a listwise count of 0', async () => {
    const mi: MissingOptions = { missing: 'mi', imputations: 3, iterations: 2, seed: 5, auxiliary: [], imputeBy: null, mnarDelta: [], writeImputations: null };
    const output = await correlate(await open(), options(mi));
    const note = rowsNote(output, 'x', labels);
    expect(note).toMatch(/^Multiple imputation: 3 imputations × 2 iterations of chained equations \(seed 5;/);
    expect(note).toContain('700 rows; missing values imputed: SATQ 13');
    expect(note).toMatch(/Every row kept; each partial r pooled on Fisher's z \(within variance 1\/\(n − 3 − k\), complete-data df n − 2 − k, Barnard–Rubin df\)\.$/);
    expect(METHOD_NOTE(0.95, output)).toBe('Pearson partial correlations pooled over the imputations; 95% CI tanh(z̄ ± t·√T) and p from t = z̄/√T, both on the Barnard–Rubin df.');
  });
});
