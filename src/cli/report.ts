/**
 * report — the whole reanalysis in one command: Table 1, scoring and reliability, partial correlations with Bayes
 * factors, the same by stratum with difference tests, the moderation model, expectation → alliance, and the
 * sensitivity analyses (Spearman, bootstrap, power), written as report.json, report.md, report.html and SVG figures.
 *
 * Without --plan, the default plan (src/report/plan.ts, docs/report.md) runs the published CanRelax analysis on a
 * CanRelax export: the app arm (arm=app), alliance, bond, task and goal against week-10 distress, adjusted for age,
 * sex, baseline distress and treatment expectation. A plan file changes any of it. --where replaces the plan's filter.
 *
 * Every step reads the same input bytes (stdin is read once); the files are written only when every step has
 * succeeded, each atomically. Without --timestamp two runs on the same input give byte-identical files.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset } from '../data/dataset';
import { Output } from '../io/output';
import { holdInput } from '../io/input';
import { UsageError } from '../errors';
import type { ReportSource } from '../report/step';
import { readPlan, type PlanInput } from '../report/plan';
import { runReport } from '../report/run';
import { makeProvenance, reportJson } from '../report/document';
import { reportContent } from '../report/content';
import { renderSvg } from '../report/figures';
import { renderReportMarkdown } from '../report/markdown';
import { renderReportHtml } from '../report/html';
import { defineCommand, flag, givenOptions, text, type CommandOptions } from './command';
import { DATA_OPTIONS, INPUT_FILE } from './common';
import type { Context } from './context';

const options = {
  plan: text('--plan <file>', 'plan (JSON): filter, variables, covariates, stratifier, steps, bootstrap, CI, p adjustment (docs/report.md)'),
  outDir: text('--out-dir <dir>', 'folder for the report files, created if missing; report files in it are replaced', 'canrelax-report'),
  timestamp: flag('--timestamp', 'record the time of the run in the provenance (files then differ between runs)'),
};

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'the whole reanalysis in one command: report.json, report.md, report.html and SVG figures',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS },
  notes: `Steps (plan "steps", in the order given): sample, reliability, correlations, stratified, moderation,
expectation, sensitivity. Files: report.json (schema/report.schema.json), report.md, report.html
(self-contained), forest.svg, added-variable-<x>.svg.`,
  examples: [
    'canrelax-analyze report data.csv',
    'canrelax-analyze report data.csv --plan plan.json --out-dir reanalysis',
    'canrelax-analyze simulate --n 400 --seed 7 | canrelax-analyze report - --out-dir sim-report',
  ],
  run: ({ file }, opts, ctx) => runReportCommand(file, opts, ctx),
});

async function runReportCommand(file: string, opts: CommandOptions<typeof options, { data: typeof DATA_OPTIONS }>, ctx: Context): Promise<void> {
  const outDir = opts.outDir;
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UsageError(`--out-dir ${outDir} is a file, give a folder for the report files (it is created if missing)`);
  }
  const planFile = opts.plan ?? null;
  const planInput: PlanInput = planFile === null ? {} : readPlan(planFile);

  const held = await holdInput(file, ctx);
  const reading = opts.data;
  const source: ReportSource = {
    path: file,
    sha256: held.sha256,
    bytes: held.bytes,
    open: (where) => Dataset.open(file, { ...reading, where: where ?? undefined, hash: true }, held.streams(ctx)),
  };

  const run = await runReport(source, planInput, planFile, reading.where ?? null);
  const provenance = makeProvenance(run, planFile, givenOptions(DATA_OPTIONS.options, opts.data), opts.timestamp ? new Date().toISOString() : null);
  const content = reportContent(run, provenance);
  const svgs = new Map<string, string>();
  for (const figure of content.figures) svgs.set(figure.file, await renderSvg(figure.spec));
  const json = reportJson(
    run,
    provenance,
    content.figures.map((f) => ({ file: f.file, step: f.step, title: f.title })),
  );
  const files = new Map<string, string>([
    ['report.json', `${JSON.stringify(json, null, 2)}\n`],
    ['report.md', renderReportMarkdown(content)],
    ['report.html', renderReportHtml(content, svgs)],
    ...svgs,
  ]);

  // Never write over the input.
  const input = file !== '-' ? realpathSync(file) : null;
  for (const name of files.keys()) {
    const target = join(outDir, name);
    if (input !== null && existsSync(target) && realpathSync(target) === input) {
      throw new UsageError(`--out-dir ${outDir} holds the input file as ${name}, write the report to another folder`);
    }
  }
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create --out-dir ${outDir} (${(error as NodeJS.ErrnoException).code}), check the path and its permissions`);
  }
  const stale = staleFigures(outDir, files, input);
  for (const [name, text] of files) {
    const out = Output.open(join(outDir, name), file, ctx);
    await out.complete(() => out.write(text));
  }
  // Only once the new report is complete: a failed run leaves the previous report whole.
  for (const name of stale) rmSync(join(outDir, name), { force: true });
  const shown = outDir.endsWith('/') ? outDir : `${outDir}/`;
  const removed = stale.length > 0 ? ` (removed the previous report's ${stale.join(', ')})` : '';
  ctx.stdout.write(`wrote ${[...files.keys()].join(', ')} to ${shown}${removed}\n`);
}

/**
 * Figures of the report already in the folder (its report.json lists them) that this report does not write:
 * a re-run with fewer x's would otherwise leave their old added-variable plots beside the new report. Only
 * plain .svg names that report.json gave as figures are touched, never the input.
 */
function staleFigures(outDir: string, files: ReadonlyMap<string, string>, input: string | null): string[] {
  let previous: unknown;
  try {
    previous = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
  } catch {
    return [];
  }
  const figures = (previous as { figures?: unknown }).figures;
  if (!Array.isArray(figures)) return [];
  const stale: string[] = [];
  for (const figure of figures) {
    const name = (figure as { file?: unknown } | null)?.file;
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+\.svg$/.test(name) || files.has(name) || stale.includes(name)) continue;
    const path = join(outDir, name);
    if (!existsSync(path) || (input !== null && realpathSync(path) === input)) continue;
    stale.push(name);
  }
  return stale;
}
