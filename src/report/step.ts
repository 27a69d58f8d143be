/**
 * What a report step is, and what it is given. Each step is one module in steps/ (registered in steps/index.ts):
 * its name and title, what it runs (on a RunContext: fresh passes over the input's typed rows, the analyses' options as the
 * report sets them), its report.json entry, and its text, tables and figures (on a WriteContext: the labels, the
 * table and figure numbers). The runner (run.ts), the writer (content.ts) and report.json (document.ts) share the
 * types here.
 */
import type { CorrelateOptions, CorrelateOutput } from '../analyses/correlate';
import type { Dataset } from '../data/dataset';
import type { RecordedFile } from '../io/recorded-file';
import type { Block, FigurePlan } from './blocks';
import type { Plan, PlanNeed, StepId, PlanVariable } from './plan-types';
import type { Labels } from './wording';

export interface ReportStep<R = unknown> {
  /** The name in a plan's "steps". */
  readonly id: StepId;
  /** Its title in report.json (and its heading when `heading` is not given). */
  readonly title: string;
  /** The plan key it cannot run without: left out of the default plan when that key is null, an error when listed. */
  readonly needs?: PlanNeed;
  /** Run only when a plan lists it: left out of the default plan (a step too slow for every report). */
  readonly optIn?: boolean;
  /** Runs the step's analyses: what its text needs, and its report.json entry (after `id` and `title`). */
  run(ctx: RunContext): Promise<{ result: R; entry: Record<string, unknown> }>;
  /** Its heading in report.md and report.html, in the plan's words (default: `title`). */
  heading?(ctx: WriteContext): string;
  /** Its paragraphs, tables and figures. */
  write(result: R, ctx: WriteContext): Block[];
}

/**
 * The input, read, parsed and typed once: the first pass types every row (Dataset.typeRows over io/input.ts
 * holdInput's records), every pass replays the typed rows through its own filter.
 */
export interface ReportSource {
  /** As given on the command line ('-' for stdin). */
  path: string;
  sha256: string;
  bytes: number;
  /** A fresh pass over the input's typed rows, filtered by `where` (the first call types them). */
  open(where: string | null): Promise<Dataset>;
  /** A Dataset over the input for its header and settings only (the plan's defaults and names): nothing typed. */
  probe(): Promise<Dataset>;
  /** The published-values file the plan's `published` names, read once and recorded (a replay's is the recorded text), or null. */
  published: RecordedFile | null;
}

export interface CorrelateRun {
  options: CorrelateOptions;
  output: CorrelateOutput;
}

/** What a step runs on. */
export interface RunContext {
  plan: Plan;
  /** The column a plan variable resolved to. */
  columnOf(name: string): string;
  /** A fresh pass over the input's typed rows (a Dataset is a one-pass stream), filtered by the plan's `where`. */
  open(): Promise<Dataset>;
  /** The published-values file as recorded (the plan's `published`), or null. */
  published: RecordedFile | null;
  /** A fresh pass filtered by another `where` (null: every row), e.g. a published analysis's population. */
  openWhere(where: string | null): Promise<Dataset>;
  /** correlate's options as the report sets them (the plan's x, y, covariates, interval, p adjustment, seed, BF10), with `over` changed. */
  correlateOptions(over: Partial<CorrelateOptions>): CorrelateOptions;
  /** correlate on a fresh pass: its run and its report.json entry (correlate's document without tool and input). */
  correlate(options: CorrelateOptions): Promise<{ run: CorrelateRun; entry: Record<string, unknown> }>;
}

/** What a step writes with. */
export interface WriteContext {
  run: ReportRun;
  labels: Labels;
  /** Tables and figures numbered so far (in report order). */
  tables: number;
  figures: number;
  /** Every figure of the report, in order: the SVG files written beside report.md. */
  figurePlans: FigurePlan[];
  /** The result of another step of this report, if it ran. */
  resultOf<R>(step: ReportStep<R>): R | undefined;
}

/** The next table's number and title: "Table 3. …". */
export function nextTable(ctx: WriteContext, title: string): string {
  ctx.tables++;
  return `Table ${ctx.tables}. ${title}`;
}

/** Drops tool/input from a command's document (report.json records them once, in its provenance). */
export function body<T extends { tool: unknown; input: unknown }>(document: T): Omit<T, 'tool' | 'input'> {
  const { tool: _tool, input: _input, ...rest } = document;
  return rest;
}

export interface ReportRun {
  plan: Plan;
  /** Notes on how the plan was completed (steps left out, --where over the plan's), and `scores` first. */
  notes: string[];
  /** Where the scores came from when the file has a column of a score's name (Dataset.scoreNotes). */
  scores: string[];
  /** Those of `scores` said on stderr too (a file column that differs, or is used). */
  scoreWarnings: string[];
  source: ReportSource;
  /** Input description as every pass saw it. */
  input: { source: string; rows: number; rows_kept: number; where: string | null };
  /** Every variable the plan names, by name. */
  variables: Map<string, PlanVariable>;
  /** Each step run, in plan order, with its result. */
  steps: Array<{ step: ReportStep; result: unknown }>;
  /** report.json's entries, one per step, in plan order. */
  entries: Array<Record<string, unknown>>;
}
