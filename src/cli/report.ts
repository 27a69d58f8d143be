/**
 * report — the whole reanalysis in one command: Table 1, scoring and reliability, partial correlations with Bayes
 * factors, the same by stratum with difference tests, the moderation model, expectation → alliance, and the
 * sensitivity analyses (Spearman, bootstrap, power), written as report.json, report.md, report.html (and report.docx)
 * and figures as SVG (and 300-dpi PNG, vector PDF).
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
import type { PlanInput } from '../report/plan';
import { FIGURE_FORMATS, FIXED_DATE, REPORT_FORMATS } from '../report/formats';
import { defineCommand, flag, givenOptions, text, type CommandOptions } from './command';
import { DATA_OPTIONS, INPUT_FILE, choiceList } from './common';
import type { Context } from './context';

const options = {
  plan: text('--plan <file>', 'plan (JSON): filter, variables, covariates, stratifier, steps, bootstrap, CI, p adjustment (docs/report.md)'),
  outDir: text('--out-dir <dir>', 'folder for the report files, created if missing; report files in it are replaced', 'canrelax-report'),
  timestamp: flag('--timestamp', 'record the time of the run in the provenance (files then differ between runs)'),
  formats: text('--formats <list>', `report files, from ${REPORT_FORMATS.join(', ')} (report.docx: Word, APA tables)`, 'json,md,html'),
  figures: text('--figures <list>', `figure files, from ${FIGURE_FORMATS.join(', ')} (PNG at 300 dpi, vector PDF)`, 'svg'),
};

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'the whole reanalysis in one command: report.json, .md, .html (and .docx), figures as SVG (and PNG, PDF)',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS },
  notes: `Steps (plan "steps", in the order given): sample, reliability, correlations, stratified, moderation,
expectation, sensitivity. Files: report.json (schema/report.schema.json), report.md, report.html
(self-contained), report.docx (--formats: Word, APA tables, figures as PNG), forest.svg,
added-variable-<x>.svg (--figures: also .png at 300 dpi and vector .pdf, DejaVu Sans embedded).
Same input, same bytes: without --timestamp every file is byte-identical between runs.`,
  examples: [
    'canrelax-analyze report data.csv',
    'canrelax-analyze report data.csv --plan plan.json --out-dir reanalysis',
    'canrelax-analyze report data.csv --formats json,md,html,docx --figures svg,png,pdf',
    'canrelax-analyze simulate --n 400 --seed 7 | canrelax-analyze report - --out-dir sim-report',
  ],
  run: ({ file }, opts, ctx) => runReportCommand(file, opts, ctx),
});

async function runReportCommand(file: string, opts: CommandOptions<typeof options, { data: typeof DATA_OPTIONS }>, ctx: Context): Promise<void> {
  const outDir = opts.outDir;
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UsageError(`--out-dir ${outDir} is a file, give a folder for the report files (it is created if missing)`);
  }
  const formats = choiceList('--formats', REPORT_FORMATS)(opts.formats);
  const figures = choiceList('--figures', FIGURE_FORMATS)(opts.figures);
  const { readPlan } = await import('../report/plan');
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

  const { runReport } = await import('../report/run');
  const run = await runReport(source, planInput, planFile, reading.where ?? null);
  const { makeProvenance } = await import('../report/document');
  const provenance = makeProvenance(run, planFile, givenOptions(DATA_OPTIONS.options, opts.data), opts.timestamp ? new Date().toISOString() : null);
  const { reportContent } = await import('../report/content');
  const content = reportContent(run, provenance);
  const { reportFiles } = await import('../report/output-files');
  const files = await reportFiles(run, provenance, content, {
    formats,
    figures,
    created: provenance.timestamp !== null ? new Date(provenance.timestamp) : FIXED_DATE,
  });

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
 * plain .svg, .png and .pdf names that report.json gave as figures are touched, never the input.
 */
function staleFigures(outDir: string, files: ReadonlyMap<string, unknown>, input: string | null): string[] {
  let previous: unknown;
  try {
    previous = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
  } catch {
    return [];
  }
  const figures = (previous as { figures?: unknown }).figures;
  if (!Array.isArray(figures)) return [];
  const stale: string[] = [];
  const names = figures.flatMap((figure) => {
    const { file, files: all } = (figure ?? {}) as { file?: unknown; files?: unknown };
    return [file, ...(Array.isArray(all) ? all : [])];
  });
  for (const name of names) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+\.(svg|png|pdf)$/.test(name) || files.has(name) || stale.includes(name)) continue;
    const path = join(outDir, name);
    if (!existsSync(path) || (input !== null && realpathSync(path) === input)) continue;
    stale.push(name);
  }
  return stale;
}
