/**
 * The one label source (src/data/labels.ts), as the report's Labels use it: a label given (plan, then config) first,
 * then the column's SPSS variable label, then a role's words with the time point read off its column, then the name.
 */
import { Labels } from '../../src/report/wording';
import { VariableLabels, timepoint } from '../../src/data/labels';

const variable = (labels: VariableLabels, name: string, column: string, role: string | null) => {
  const label = labels.own(name, column);
  return [name, { name, column, role, ...(label === undefined ? {} : { label }), words: labels.words(name, column, role) }] as const;
};

test('an SPSS variable label names a column, a role too (it comes before the role words); a column without either by its name', () => {
  const source = new VariableLabels(new Map(), new Map([['age', 'Age in years'], ['bmi', 'Body-mass index (kg/m²)']]));
  const labels = new Labels(new Map([variable(source, 'age', 'age', 'age'), variable(source, 'bmi', 'bmi', null), variable(source, 'x1', 'x1', null)]));
  expect(labels.text('age')).toBe('age in years');
  expect(labels.table('age')).toBe('Age in years');
  expect(labels.text('bmi')).toBe('body-mass index (kg/m²)');
  expect(labels.table('bmi')).toBe('Body-mass index (kg/m²)');
  expect(labels.withColumn('bmi')).toBe('body-mass index (kg/m²) (bmi)');
  expect(labels.described('bmi')).toBe('body-mass index (kg/m²) (`bmi`)');
  expect(labels.text('x1')).toBe('x1');
});

test('distress is named by its time point: week-10 only on _w10; T2 on _t2; labels given win, by role or column', () => {
  const none = new VariableLabels(new Map(), new Map());
  expect(none.words('distress', 'phqads_total_w10', 'distress')).toEqual(['week-10 distress', 'Week-10 distress (PHQ-ADS)']);
  expect(none.words('distress', 'phqads_total_w12', 'distress')).toEqual(['week-12 distress', 'Week-12 distress (PHQ-ADS)']);
  expect(none.words('distress', 'phqads_total_t2', 'distress')).toEqual(['T2 distress', 'T2 distress (PHQ-ADS)']);
  expect(none.words('distress', 'outcome', 'distress')).toEqual(['distress', 'Distress (PHQ-ADS)']);
  expect(timepoint('phqads_total_fu1')).toBe('FU1');
  const given = new VariableLabels(new Map([['distress', 'Distress at week 12 (PHQ-ADS)'], ['Alter', 'Age (years)']]), new Map([['phqads_total_t2', 'PHQ-ADS T2']]));
  expect(given.words('distress', 'phqads_total_t2', 'distress')).toEqual(['distress at week 12 (PHQ-ADS)', 'Distress at week 12 (PHQ-ADS)']);
  expect(given.words('age', 'Alter', 'age')).toEqual(['age (years)', 'Age (years)']);
  // An SPSS label over the role's words; an acronym keeps its capitals in a sentence.
  expect(given.words('baseline', 'phqads_total_t2', 'baseline')).toEqual(['PHQ-ADS T2', 'PHQ-ADS T2']);
});
