/**
 * The report as data: its provenance and the JSON document (report.json, schema/report.schema.json): the provenance,
 * then each step's entry (steps/), then the figures.
 */
import type { FigureFormat, ReportFormat } from './formats';
import type { ReportRun } from './step';
import { VERSION } from '../version';
import type { RecordedFile } from '../io/recorded-file';
import type { Plan } from './plan-types';

export interface Provenance {
  tool: { name: string; version: string };
  command: 'report';
  input: { path: string; source: string; sha256: string; bytes: number; rows: number; rows_kept: number; where: string | null };
  /** The --plan file (path as given, SHA-256, text), or null for the default plan. */
  plan_file: RecordedFile | null;
  /** The plan as used: defaults filled, --where applied. */
  plan: Plan;
  /** Every variable the plan names: its column and the role it was typed as. */
  variables: Record<string, { column: string; role: string | null }>;
  /** Reading options given on the command line (delimiter, na, config, …), as typed. */
  options: Record<string, string | string[]>;
  /** The config file applied (--config, or ./canrelax.config.json found in the working directory): path, SHA-256, text. */
  config: RecordedFile | null;
  /** Instrument definitions read from .json files (--instrument or the config's "instruments"): path, SHA-256, text. */
  instrument_files: RecordedFile[];
  /** The published-values file checked (--published, or the plan's "published"): path, SHA-256, text; null when none. */
  published_file: RecordedFile | null;
  /** The files written (--formats, --figures): a replay writes the same ones. */
  files: { formats: ReportFormat[]; figures: FigureFormat[] };
  seed: number;
  notes: string[];
  /** Only with --timestamp (otherwise two runs give byte-identical files). */
  timestamp: string | null;
}

export const REPORT_VERSION = 1;

/**
 * Everything that shaped the numbers, and nothing of the run itself (no output folder, no working directory, no
 * time unless --timestamp): `report --replay` rebuilds the same files from it.
 */
export function makeProvenance(
  run: ReportRun,
  planFile: RecordedFile | null,
  config: RecordedFile | null,
  instrumentFiles: RecordedFile[],
  publishedFile: RecordedFile | null,
  options: Record<string, string | string[]>,
  files: Provenance['files'],
  timestamp: string | null,
): Provenance {
  return {
    tool: { name: 'canrelax-analyze', version: VERSION },
    command: 'report',
    input: {
      path: run.source.path,
      source: run.input.source,
      sha256: run.source.sha256,
      bytes: run.source.bytes,
      rows: run.input.rows,
      rows_kept: run.input.rows_kept,
      where: run.plan.where,
    },
    plan_file: planFile,
    plan: run.plan,
    variables: Object.fromEntries([...run.variables.values()].map((v) => [v.name, { column: v.column, role: v.role }])),
    options,
    config,
    instrument_files: instrumentFiles,
    published_file: publishedFile,
    files,
    seed: run.plan.bootstrap.seed,
    notes: run.notes,
    timestamp,
  };
}

export interface FigureEntry {
  /** The figure's first file in the order svg, png, pdf (Markdown links to it). */
  file: string;
  /** Every file written for the figure (--figures). */
  files: string[];
  step: string;
  title: string;
}

/** report.json. */
export function reportJson(run: ReportRun, provenance: Provenance, figures: FigureEntry[]) {
  // The published-against-reanalysed comparison also stands at the top level, where readers of a report look for it
  // (`.published` in jq): the published step's own entry, without its id and title.
  const publishedStep = run.entries.find((entry) => entry.id === 'published');
  const published = publishedStep === undefined ? null : (({ id: _id, title: _title, ...rest }) => rest)(publishedStep);
  return {
    report_version: REPORT_VERSION,
    provenance,
    published,
    steps: run.entries,
    figures,
  };
}
