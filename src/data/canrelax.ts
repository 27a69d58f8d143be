/**
 * The published CanRelax analysis's variables, by role (data/schema.ts): the four WAI-I scores against week-10
 * distress, adjusted for age, sex, baseline distress and treatment expectation, in the app arm, stratified by sex,
 * with expectation → alliance adjusted for age and sex. Every default that names them reads them here: the
 * analyses' on a CanRelax export (analyses/options.ts), the report's default plan (report/plan.ts), the plan init
 * writes (data/inspect.ts).
 */
export const CANRELAX = {
  x: ['alliance', 'bond', 'task', 'goal'],
  y: 'distress',
  covariates: ['age', 'sex', 'baseline', 'expectation'],
  stratifier: 'sex',
  expectation: { variable: 'expectation', covariates: ['age', 'sex'] },
  where: 'arm=app',
} as const;
