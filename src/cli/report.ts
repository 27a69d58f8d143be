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
 *
 * --replay reruns a report from its provenance alone (replay.ts): the input at its recorded path (checked against its
 * SHA-256), the plan, config, instrument definition and published-values files as recorded (their text, checked against
 * their SHA-256, never read again), the reading options as given. Its files are the old ones, byte for byte (a report
 * made with --timestamp gets the time of the replay).
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset, type DataOptions } from '../data/dataset';
import type { TypedInput, TypedRows } from '../data/typed-rows';
import { Progress } from '../data/progress';
import { readConfigFile } from '../data/schema';
import { inputAt, makeFolder, Output, removeFolders, type InputPaths } from '../io/output';
import { holdInput } from '../io/input';
import { readRecordedFile, type RecordedFile } from '../io/recorded-file';
import { terminalText } from '../text';
import { byKey, option, UsageError, words, type GivenIn, type OptionNamer } from '../errors';
import type { ReportSource } from '../report/step';
import { KEYS as PLAN_KEYS, parsePlan, planComputes, planKeyListing, planKeyName, readPlanFile, REPORT_OPTIONS, type PlanInput } from '../report/plan';
import { flagName } from './flag-name';
import { describePlan, resolvePlan, runReport } from '../report/run';
import { makeProvenance } from '../report/document';
import { reportContent } from '../report/content';
import { reportFiles } from '../report/output-files';
import { FIGURE_FORMATS, FIXED_DATE, REPORT_FORMATS } from '../report/formats';
import { declared, defineCommand, flag, givenOptions, text, type CommandOptions } from './command';
import { REPORT_DATA_OPTIONS, INPUT_FILE, choiceList } from './common';
import type { Context } from './context';
import { replayRequest, type ReportRequest } from './replay';
import { STEPS } from '../report/steps';
import { parseJson } from '../io/json';

const options = {
  plan: text('--plan <file>', `plan (JSON, docs/report.md), keys ${PLAN_KEYS.filter((k) => k !== '$schema').join(', ')}`),
  published: declared(REPORT_OPTIONS.published, `${REPORT_OPTIONS.published.description} (plan key "published")`),
  outDir: text('--out-dir <dir>', 'folder for the report files, created if missing; report files in it are replaced', 'canrelax-report'),
  timestamp: flag('--timestamp', 'record the time of the run in the provenance (files then differ between runs)'),
  replay: text('--replay <report.json>', 'rerun a report from its provenance (input checked by SHA-256); only --out-dir, --formats, --figures beside it'),
  formats: text('--formats <list>', `report files, from ${REPORT_FORMATS.join(', ')} (report.docx: Word, APA tables)`, 'json,md,html'),
  figures: text('--figures <list>', `figure files, from ${FIGURE_FORMATS.join(', ')} (PNG at 300 dpi, vector PDF)`, 'svg'),
  figureTitles: declared(REPORT_OPTIONS.figureTitles, `${REPORT_OPTIONS.figureTitles.description} (plan key "figure_titles")`),
  dryRun: flag('--dry-run', 'show what the plan would run on this input (filter, variables, steps) and stop: nothing analysed or written'),
};
/** The registered steps, as the help lists them (the registry is the one list). */
const STEP_LIST = STEPS.map((step) => `${step.id}${step.needs === 'published' ? ' (with --published)' : step.optIn ? ' (when the plan lists it)' : ''}`).join(', ');

type ReportOptions = CommandOptions<typeof options, { data: typeof REPORT_DATA_OPTIONS }>;

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'the whole reanalysis in one command: report.json, .md, .html (and .docx), figures as SVG (and PNG, PDF)',
  arguments: [{ ...INPUT_FILE, optional: true }],
  options,
  groups: { data: REPORT_DATA_OPTIONS },
  notes: `Steps (plan "steps", in the order given): ${STEP_LIST}. Files: report.json (schema/report.schema.json), report.md, report.html
(self-contained, prints every column), report.docx (--formats: Word, APA tables, figures as PNG); figures
forest.svg, added-variable-<x>.svg, mnar-delta.svg (step missing), specification-curve-<x>.svg (step robustness)
(--figures: also .png at 300 dpi and vector .pdf, DejaVu Sans embedded; --figure-titles none: titles left to the
captions).
Same input, same bytes: without --timestamp every file is byte-identical between runs.

Plan keys (--plan, docs/report.md), with the default plan's values (x, y, covariates, stratifier, expectation and
where when the file has them; --dry-run shows the plan as completed for an input):
${planKeyListing()}`,
  examples: [
    'canrelax-analyze report data.csv',
    'canrelax-analyze report data.csv --plan plan.json --out-dir reanalysis',
    'canrelax-analyze report data.csv --formats json,md,html,docx --figures svg,png,pdf --figure-titles none',
    'canrelax-analyze report --replay reanalysis/report.json --out-dir rebuilt',
    'canrelax-analyze simulate --n 400 --seed 7 | canrelax-analyze report - --out-dir sim-report',
  ],
  async run(args, opts, ctx) {
    // The file argument is optional (--replay takes the input from the provenance).
    const file: string | undefined = args.file;
    if (opts.replay !== undefined) {
      const { replay, ...own } = options;
      const given = [...Object.keys(givenOptions(own, opts)), ...Object.keys(givenOptions(REPORT_DATA_OPTIONS.options, opts.data))].map((name) => `--${name}`);
      // The files written: as recorded, unless --formats or --figures is given beside --replay.
      const written = {
        outDir: opts.outDir,
        formats: given.includes('--formats') ? choiceList('--formats', REPORT_FORMATS)(opts.formats) : null,
        figures: given.includes('--figures') ? choiceList('--figures', FIGURE_FORMATS)(opts.figures) : null,
      };
      await makeReport(await replayRequest(opts.replay, file, given, written, ctx), ctx, opts.replay);
    } else {
      if (file === undefined) throw new UsageError('report needs the input: a CSV file, or - for stdin (or --replay old/report.json)');
      if (opts.dryRun) await dryRun(await commandRequest(file, opts), ctx);
      else await makeReport(await commandRequest(file, opts), ctx);
    }
  },
});

async function commandRequest(file: string, opts: ReportOptions): Promise<ReportRequest> {
  const planFile = opts.plan === undefined ? null : await readPlanFile(opts.plan);
  const planPublished = planFile === null ? null : (parsePlan(planFile.content, planFile.path).published ?? null);
  const published: [string, GivenIn] | null = opts.published !== undefined ? [opts.published, option('published')] : planPublished !== null ? [planPublished, words`plan ${planFile!.path}'s "published"`] : null;
  return {
    file,
    held: null,
    reading: opts.data,
    options: givenOptions(REPORT_DATA_OPTIONS.options, opts.data),
    planFile,
    // Read once, before the analysis, and recorded from that one read (a replay checks the recorded text).
    publishedFile: published === null ? null : await readRecordedFile(...published),
    formats: choiceList('--formats', REPORT_FORMATS)(opts.formats),
    figures: choiceList('--figures', FIGURE_FORMATS)(opts.figures),
    // Read once for every pass, and recorded from that one read.
    configFile: await readConfigFile(opts.data.config),
    instrumentFiles: null,
    timestamp: opts.timestamp,
    outDir: opts.outDir,
    ...(opts.figureTitles !== undefined ? { figureTitles: opts.figureTitles } : {}),
  };
}

/** `replayed`: the report.json a replay reads, an input too (rebuilding over it would lose the record it came from). */
async function makeReport(request: ReportRequest, ctx: Context, replayed: string | null = null): Promise<void> {
  const { outDir } = request;
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UsageError(`--out-dir ${outDir} is a file, give a folder for the report files (it is created if missing)`);
  }
  // At once, before the analysis: an unwritable place is a one-line error, not a wait for nothing.
  const made = makeFolder(outDir, option('outDir'));
  try {
    await writeReport(request, ctx, replayed);
  } catch (error) {
    removeFolders(made);
    throw error;
  }
}

/** The plan and the input a report reads: every pass over the same bytes. */
async function reportSource(request: ReportRequest, ctx: Context): Promise<{ planInput: PlanInput; source: ReportSource; instrumentFiles: () => RecordedFile[] }> {
  const { file, planFile, configFile } = request;
  const planInput: PlanInput = planFile === null ? {} : parsePlan(planFile.content, planFile.path);
  if (request.publishedFile !== null) planInput.published = request.publishedFile.path;
  if (request.figureTitles !== undefined) planInput.figure_titles = request.figureTitles;

  const held = request.held ?? (await holdInput(file, ctx));
  // Every pass makes the plan's computed columns, then the --compute flags' (the plan as used records them all).
  // The plan's scores, levels and reference over the config's; --scores and --ref over the plan's.
  const reading = {
    ...request.reading,
    configFile,
    compute: planComputes(planInput, request.reading.compute),
    scores: request.reading.scores ?? planInput.scores,
    levels: planInput.levels,
    reference: planInput.reference,
    labels: planInput.labels,
  };
  // Instrument definition files as recorded (replay), else as the first pass reads them, for every later pass.
  let instrumentFiles = request.instrumentFiles;
  const openHeld = async (options: DataOptions) => {
    // The filter is each pass's (the plan's, or a published value's population), never the --where flag as such.
    const dataset = await Dataset.open(file, { ...reading, instrumentFiles: instrumentFiles ?? undefined, held, where: undefined, ...options }, ctx);
    instrumentFiles ??= dataset.instrumentFiles;
    return dataset;
  };
  // The one typing pass, when the first pass reads (after opening it: its own errors first): every row, whatever the
  // passes' filters (data/typed-rows.ts).
  let typing: Promise<TypedRows> | null = null;
  const typed: TypedInput = { rows: () => (typing ??= openHeld({}).then((dataset) => dataset.typeRows())) };
  const source: ReportSource = {
    path: file,
    sha256: held.sha256,
    bytes: held.bytes,
    published: request.publishedFile,
    probe: () => openHeld({}),
    open: (where) => openHeld({ where: where ?? undefined, typed }),
  };
  return { planInput, source, instrumentFiles: () => instrumentFiles ?? [] };
}

/**
 * How the report's messages, notes and reasons name an option: as the flag when the user gave it to the report command
 * (`--where`, `--na`; a replay's as recorded), else as its plan or config key (report/plan.ts planKeyName).
 */
function reportNamer(request: ReportRequest): OptionNamer {
  // request.options is keyed by long flag name (givenOptions): min-answered.
  const typed = new Set(Object.keys(request.options).map((long) => `--${long}`));
  return (key) => {
    if (typed.has(flagName(key))) return flagName(key);
    const named = planKeyName(key);
    // An option the report takes only as its own flag (--out-of-range, --min-answered): that flag, not a bare key.
    return named === byKey(key) && key in REPORT_DATA_OPTIONS.options ? flagName(key) : named;
  };
}

/** report --dry-run: the plan completed against the input, printed; no analysis, no files. */
async function dryRun(request: ReportRequest, ctx: Context): Promise<void> {
  const { planInput, source } = await reportSource(request, ctx);
  const planPath = request.planFile?.path ?? null;
  const resolved = await resolvePlan(source, planInput, planPath, request.reading.where ?? null, request.reading.compute, reportNamer(request));
  ctx.stdout.write(describePlan(resolved, planPath).map((line) => `${terminalText(line)}\n`).join(''));
}

async function writeReport(request: ReportRequest, ctx: Context, replayed: string | null): Promise<void> {
  const { file, outDir, planFile, configFile } = request;
  const { planInput, source, instrumentFiles: readInstruments } = await reportSource(request, ctx);
  const run = await runReport(source, planInput, planFile?.path ?? null, request.reading.where ?? null, (label) => Progress.forPhase(label, ctx), request.reading.compute, reportNamer(request));
  for (const note of run.scoreWarnings) ctx.warn(note);
  const provenance = makeProvenance(run, planFile, configFile, readInstruments(), request.publishedFile, request.options, { formats: request.formats, figures: request.figures }, request.timestamp ? new Date().toISOString() : null);
  const content = reportContent(run, provenance);
  const files = await reportFiles(run, provenance, content, {
    formats: request.formats,
    figures: request.figures,
    created: provenance.timestamp !== null ? new Date(provenance.timestamp) : FIXED_DATE,
  });

  // Never write over an input: the data, the plan, config, published-values and instrument files, a replayed report.json.
  const inputs = [file, planFile?.path, configFile?.path, request.publishedFile?.path, ...readInstruments().map((f) => f.path), replayed];
  for (const name of files.keys()) {
    if (inputAt(join(outDir, name), inputs) !== null) {
      throw new UsageError(`--out-dir ${outDir} holds an input file as ${name}, write the report to another folder`);
    }
  }
  const stale = staleFigures(outDir, files, inputs, ctx);
  // Every file to its temporary first, then all renamed: a failure or an interrupt (io/output.ts) before the renames
  // leaves the previous report whole and no temporary file.
  const outs: Output[] = [];
  try {
    for (const [name, text] of files) {
      const out = Output.open(join(outDir, name), inputs, ctx, option('outDir'));
      outs.push(out);
      out.write(text);
      await out.flush(true);
    }
    for (const out of outs) await out.close();
  } catch (error) {
    for (const out of outs) out.abort();
    throw error;
  }
  // Only once the new report is complete: a failed run leaves the previous report whole.
  for (const name of stale) rmSync(join(outDir, name), { force: true });
  const shown = outDir.endsWith('/') ? outDir : `${outDir}/`;
  const removed = stale.length > 0 ? ` (removed the previous report's ${stale.join(', ')})` : '';
  ctx.stdout.write(`wrote ${[...files.keys()].join(', ')} to ${shown}${removed}\n`);
}

/**
 * Figures of the previous report in the folder that this report does not write: a re-run with fewer x's would
 * otherwise leave their old added-variable plots beside the new report. Only a report.json of ours is believed (its
 * provenance names canrelax-analyze report: anything else there, e.g. a user's own report.json listing thesis.pdf, is
 * left alone, said once), only plain .svg, .png and .pdf names it gave as figures are touched, never an input.
 */
function staleFigures(outDir: string, files: ReadonlyMap<string, unknown>, inputs: InputPaths, ctx: Context): string[] {
  const recorded = join(outDir, 'report.json');
  if (!existsSync(recorded)) return [];
  let previous: unknown = null;
  try {
    previous = parseJson(readFileSync(recorded, 'utf8'));
  } catch {
    // not JSON: not ours either
  }
  const provenance = (previous as { provenance?: { tool?: { name?: unknown }; command?: unknown } } | null)?.provenance;
  const figures = (previous as { figures?: unknown } | null)?.figures;
  if (provenance?.tool?.name !== 'canrelax-analyze' || provenance.command !== 'report' || !Array.isArray(figures)) {
    ctx.warn(`${recorded} is not a report of canrelax-analyze (no provenance of ours): no file it names is removed`);
    return [];
  }
  const stale: string[] = [];
  const names = figures.flatMap((figure) => {
    const { file, files: all } = (figure ?? {}) as { file?: unknown; files?: unknown };
    return [file, ...(Array.isArray(all) ? all : [])];
  });
  for (const name of names) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+\.(svg|png|pdf)$/.test(name) || files.has(name) || stale.includes(name)) continue;
    const path = join(outDir, name);
    if (!existsSync(path) || inputAt(path, inputs) !== null) continue;
    stale.push(name);
  }
  return stale;
}
