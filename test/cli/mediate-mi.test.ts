/**
 * `mediate --missing mi` (issue 19, "Must show"): the paths a, b, c, c′ pooled exactly as mice::pool on the four lm
 * fits over the imputations it writes (test/reference/mediate_mi.R → mediate_mi.json, mice 3.15), to 1e-8; the
 * indirect effect the mean of aᵢ·bᵢ; the completed data sets it writes are the ones R pooled, byte for byte; the
 * MI-then-bootstrap interval pools ⌈B/M⌉ resamples of each completed data set.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, ROOT, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose, readProjectReference } from '../helpers/reference';

const ref = readProjectReference('mediate_mi.json');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/mediate.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const ARGS = ['mediate', EXAMPLE, '--where', 'arm=app', '--x', 'expectation', '--m', 'alliance', '--y', 'distress', '--adjust', 'age,sex,baseline', '--missing', 'mi', '--imputations', '5', '--seed', '12'];

describe('mediate --missing mi against mice::pool on lm (5 imputations of the example, app arm)', () => {
  let doc: any;
  let written: string;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediate-mi-'));
    doc = await runJson([...ARGS, '--bootstrap', '0', '--write-imputations', dir], { schema: validate });
    written = fs.readFileSync(path.join(dir, 'imputations.csv'), 'utf8');
    fs.rmSync(dir, { recursive: true });
  });

  test('the completed data sets written are those R pooled', () => {
    expect(written).toBe(fs.readFileSync(path.join(ROOT, 'test/reference/mediate_mi/imputations.csv'), 'utf8'));
  });

  test('a, b, c, c′: estimate, SE, t, df, p, CI and the pooling details equal mice::pool to 1e-8', () => {
    const entry = doc.mediation[0];
    expect(entry.n).toBe(ref.n);
    for (const name of ['a', 'b', 'c', 'c_prime']) {
      const mine = entry.paths[name];
      const theirs = ref[name];
      const close = (a: number, b: number) => expectClose(a, b, 1e-8, 1e-12);
      close(mine.estimate, theirs.estimate);
      close(mine.se, theirs.se);
      close(mine.t, theirs.t);
      close(mine.p, theirs.p);
      close(mine.ci[0], theirs.ci[0]);
      close(mine.ci[1], theirs.ci[1]);
      close(mine.mi.df, theirs.df);
      close(mine.mi.ubar, theirs.ubar);
      close(mine.mi.b, theirs.b);
      close(mine.mi.t, theirs.total);
      close(mine.mi.riv, theirs.riv);
      close(mine.mi.lambda, theirs.lambda);
      close(mine.mi.fmi, theirs.fmi);
      expect(mine.mi.dfcom).toBe(theirs.dfcom);
    }
    expectClose(entry.indirect.estimate, ref.indirect, 1e-8);
    expect(doc.analysis).toMatchObject({ missing: 'mi', imputations: 5, seed: 12 });
  });

  test('MI-then-bootstrap: 1,000 resamples as 200 within each of the 5 data sets, a percentile interval around a·b, no BCa', async () => {
    const boot = await runJson([...ARGS, '--bootstrap', '1000'], { schema: validate });
    const indirect = boot.mediation[0].indirect;
    expectClose(indirect.estimate, ref.indirect, 1e-8);
    expect(indirect.bootstrap.resamples).toBe(1000);
    expect(indirect.ci_bca).toBeNull();
    expect(indirect.ci_percentile[0]).toBeLessThan(indirect.estimate);
    expect(indirect.ci_percentile[1]).toBeGreaterThan(indirect.estimate);
    expect(indirect.reason).toMatch(/MI-then-bootstrap: 200 resamples within each of the 5 completed data sets/);
  });

  test('a moderator or --mnar-delta with --missing mi: one line, exit 2', async () => {
    expectOneLineError(await runCli([...ARGS, '--moderator', 'sex', '--moderate', 'a']), 2, /--moderator and --missing mi do not combine/);
    expectOneLineError(await runCli([...ARGS, '--mnar-delta', '0.5']), 2, /--mnar-delta is a correlate option/);
  });
});
