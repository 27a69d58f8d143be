/**
 * report — the whole reanalysis in one command: Table 1, scoring and reliability, partial correlations with Bayes
 * factors, the same by stratum with difference tests, the moderation model, expectation → alliance, and the
 * sensitivity analyses (Spearman, bootstrap, power), written as report.json, report.md, report.html and SVG figures.
 *
 * Usage: canrelax-analyze report <file|-> [--plan plan.json] [--out-dir DIR] [--timestamp] [reading options]
 *
 * Without --plan, the default plan (src/report/plan.ts, docs/report.md) runs the published CanRelax analysis on a
 * CanRelax export: the app arm (arm=app), alliance, bond, task and goal against week-10 distress, adjusted for age,
 * sex, baseline distress and treatment expectation. A plan file changes any of it. --where replaces the plan's filter.
 *
 * Every step reads the same input bytes (stdin is read once); the files are written only when every step has
 * succeeded, each atomically. Without --timestamp two runs on the same input give byte-identical files.
 *
 * Examples:
 *   canrelax-analyze report data.csv
 *   canrelax-analyze report data.csv --plan plan.json --out-dir reanalysis
 *   canrelax-analyze simulate --n 400 --seed 7 | canrelax-analyze report - --out-dir sim-report
 */
import { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Register } from './main';
import { addDataOptions, addGlobalOptions, dataOptions, DATA_OPTIONS_HELP } from './common';
import { Dataset } from '../data/dataset';
import { Output } from '../io/output';
import { chunksOf } from '../io/input';
import { UsageError } from '../errors';
import type { Context } from './context';
import { runReport, type ReportSource } from '../analyses/report';
import { readPlan, type PlanInput } from '../report/plan';
import { makeProvenance, reportJson } from '../report/document';
import { reportContent } from '../report/content';
import { renderSvg } from '../report/figures';
import { renderReportMarkdown } from '../report/markdown';
import { renderReportHtml } from '../report/html';

export const registerReport: Register = (program, setContext) => {
  const command = new Command('report')
    .description('the whole reanalysis in one command: report.json, report.md, report.html and SVG figures')
    .argument('<file>', 'CSV export, or - for stdin')
    .option('--plan <file>', 'plan (JSON): filter, variables, covariates, stratifier, steps, bootstrap, CI, p adjustment (docs/report.md)')
    .option('--out-dir <dir>', 'folder for the report files, created if missing; report files in it are replaced', 'canrelax-report')
    .option('--timestamp', 'record the time of the run in the provenance (files then differ between runs)')
    .addHelpText('after', `${DATA_OPTIONS_HELP}

Steps (plan "steps", in the order given): sample, reliability, correlations, stratified, moderation,
expectation, sensitivity. Files: report.json (schema/report.schema.json), report.md, report.html
(self-contained), forest.svg, added-variable-<x>.svg.

Examples:
  canrelax-analyze report data.csv
  canrelax-analyze report data.csv --plan plan.json --out-dir reanalysis
  canrelax-analyze simulate --n 400 --seed 7 | canrelax-analyze report - --out-dir sim-report`)
    .action(async (file: string, opts: Record<string, unknown>) => {
      const ctx = setContext({ color: opts.color as boolean, debug: opts.debug as boolean });
      await runReportCommand(file, opts, ctx);
    });
  addGlobalOptions(addDataOptions(command));
  program.addCommand(command);
};

/** Reading options as given on the command line, for the provenance (flag name without dashes → value). */
function givenOptions(opts: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const flags: Array<[string, string]> = [
    ['delimiter', 'delimiter'],
    ['decimal', 'decimal'],
    ['na', 'na'],
    ['where', 'where'],
    ['config', 'config'],
    ['map', 'map'],
    ['instrument', 'instrument'],
    ['minAnswered', 'min-answered'],
  ];
  for (const [key, flag] of flags) {
    const value = opts[key];
    if (typeof value === 'string' || (Array.isArray(value) && value.length > 0)) out[flag] = value as string | string[];
  }
  if (opts.outOfRange !== undefined && opts.outOfRange !== 'error') out['out-of-range'] = String(opts.outOfRange);
  return out;
}

async function readInput(file: string, ctx: Context): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new UsageError(`file not found: ${file}, check the path (or use - for stdin)`);
  }
  if (!isFile) throw new UsageError(`not a file: ${file}, give a CSV file (or - for stdin)`);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code}), check the path and its permissions`);
  }
}

async function runReportCommand(file: string, opts: Record<string, unknown>, ctx: Context): Promise<void> {
  const outDir = String(opts.outDir ?? 'canrelax-report');
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UsageError(`--out-dir ${outDir} is a file, give a folder for the report files (it is created if missing)`);
  }
  const planFile = opts.plan === undefined ? null : String(opts.plan);
  const planInput: PlanInput = planFile === null ? {} : readPlan(planFile);

  const bytes = await readInput(file, ctx);
  const reading = dataOptions(opts);
  const source: ReportSource = {
    path: file,
    sha256: (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    open: (where) =>
      Dataset.open(file, { ...reading, where: where ?? undefined, hash: true }, file === '-' ? { stdin: chunksOf(bytes) } : ctx),
  };

  const run = await runReport(source, planInput, planFile, reading.where ?? null);
  const provenance = makeProvenance(run, planFile, givenOptions(opts), opts.timestamp ? new Date().toISOString() : null);
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
