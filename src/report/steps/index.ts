/**
 * The report's steps, registered once: the order here is the default plan's order, and a plan's "steps" may name
 * any of them (schema/plan.schema.json).
 *
 * To add a step:
 *   1. Write src/report/steps/<name>.ts exporting a `ReportStep` (src/report/step.ts): its `id` (the name plans
 *      use), `title`, `needs` (a plan key it cannot run without, if any), `run` (calls the analyses through the
 *      RunContext and returns its result and its report.json entry), `heading` (optional) and `write` (its text,
 *      tables and figures as blocks, worded with wording.ts and correlation-text.ts).
 *   2. Add it to STEPS below, where it belongs in the default order.
 * Then the tests ask for what users read: the step's name in schema/plan.schema.json ("steps" enum), its entry in
 * schema/report.schema.json, and its section in docs/report.md (test/report/steps.test.ts checks all three).
 */
import type { ReportStep } from '../step';
import { correlations } from './correlations';
import { expectation } from './expectation';
import { measurement } from './measurement';
import { mediation } from './mediation';
import { missing } from './missing';
import { moderation } from './moderation';
import { published } from './published';
import { reliability } from './reliability';
import { robustnessStep } from './robustness';
import { sample } from './sample';
import { sensitivity } from './sensitivity';
import { stratified } from './stratified';

export const STEPS: readonly ReportStep[] = [
  sample,
  published,
  reliability,
  correlations,
  stratified,
  measurement,
  moderation,
  expectation,
  mediation,
  sensitivity,
  missing,
  robustnessStep,
];

/** The registered step of that name (plan.ts has checked the name). */
export function stepNamed(id: string): ReportStep {
  const step = STEPS.find((s) => s.id === id);
  if (step === undefined) throw new Error(`no report step "${id}"`);
  return step;
}
