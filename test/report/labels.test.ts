/** Display names in the report: a role's own wording first, then the column's SPSS variable label, then its name. */
import { Labels } from '../../src/report/wording';

test('an SPSS variable label names a column that has no role wording', () => {
  const labels = new Labels(
    new Map([
      ['age', { name: 'age', column: 'age', role: 'age', label: 'Age in years' }],
      ['bmi', { name: 'bmi', column: 'bmi', role: null, label: 'Body-mass index (kg/m²)' }],
      ['x1', { name: 'x1', column: 'x1', role: null }],
    ]),
  );
  expect(labels.text('age')).toBe('age');
  expect(labels.table('age')).toBe('Age');
  expect(labels.text('bmi')).toBe('Body-mass index (kg/m²)');
  expect(labels.table('bmi')).toBe('Body-mass index (kg/m²)');
  expect(labels.withColumn('bmi')).toBe('Body-mass index (kg/m²) (bmi)');
  expect(labels.described('bmi')).toBe('Body-mass index (kg/m²) (`bmi`)');
  expect(labels.text('x1')).toBe('x1');
});
