/**
 * `model --missing mi` pools its simple slopes too (issue 19): each slope's estimate and SE per completed data set,
 * ν_com the residual df, as mice::pool gives the coefficient of x with that level as the reference
 * (test/reference/model_mi_slopes.R → model_mi_slopes.json, mice 3.15), to 1e-8; and `model --write-imputations`
 * writes the completed data sets R pooled, byte for byte.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, ROOT, runJson } from '../helpers/cli';
import { expectClose, readProjectReference } from '../helpers/reference';

const ref = readProjectReference('model_mi_slopes.json');

test('the slope of alliance in each sex, pooled over 5 imputations, equals mice::pool on the relevelled lm to 1e-8', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-mi-'));
  const args = ['model', EXAMPLE, '--where', 'arm=app', '--y', 'distress', '--x', 'alliance', '--interaction', 'sex', '--adjust', 'age,baseline'];
  const doc = await runJson([...args, '--missing', 'mi', '--imputations', '5', '--seed', '21', '--write-imputations', dir]);
  const written = fs.readFileSync(path.join(dir, 'imputations.csv'), 'utf8');
  fs.rmSync(dir, { recursive: true });
  expect(written).toBe(fs.readFileSync(path.join(ROOT, 'test/reference/model_mi_slopes/imputations.csv'), 'utf8'));
  const slopes = doc.models[0].simple_slopes;
  expect(slopes.map((s: any) => s.level)).toEqual(['female', 'male']);
  for (const slope of slopes) {
    const theirs = ref.slopes[slope.level];
    for (const key of ['estimate', 'se', 't', 'df', 'p']) expectClose(slope[key], theirs[key], 1e-8);
    expectClose(slope.ci[0], theirs.ci[0], 1e-8);
    expectClose(slope.ci[1], theirs.ci[1], 1e-8);
  }
});
