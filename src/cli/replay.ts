/**
 * `report --replay old/report.json`: the request for a report rebuilt from a report's provenance alone — the input
 * at its recorded path (as given when the report was made, so a relative path is taken from the folder the replay
 * runs in), checked against its SHA-256; the plan, config, instrument definition and published-values files as
 * recorded (their text, checked against their SHA-256, never read again); the reading options as given. The provenance
 * records nothing of the run itself (no output folder, no working directory, a time only with --timestamp, which a
 * replay renews), so the rebuilt files are the old ones byte for byte.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DataError, UsageError } from '../errors';
import { holdInput, sha256Of, type HeldInput } from '../io/input';
import type { DataOptions } from '../data/dataset';
import type { RecordedFile } from '../io/recorded-file';
import { FIGURE_FORMATS, REPORT_FORMATS, type FigureFormat, type ReportFormat } from '../report/formats';
import type { FigureTitles } from '../report/plan-types';
import { VERSION } from '../version';
import { parsePlan } from '../report/plan';
import { valuesFromGiven } from './command';
import { choiceList, REPORT_DATA_OPTIONS } from './common';
import type { Context } from './context';
import { parseJson } from '../io/json';

/** What one report is made from, whether given on the command line or taken from a provenance. */
export interface ReportRequest {
  file: string;
  /** The input already read (a replay checks its SHA-256 first), or null to read it. */
  held: HeldInput | null;
  reading: DataOptions;
  /** Reading options as given, as the provenance records them. */
  options: Record<string, string | string[]>;
  planFile: RecordedFile | null;
  /** --formats and --figures: which files are written (they may stand beside --replay: they choose files, not numbers). */
  formats: ReportFormat[];
  figures: FigureFormat[];
  /** The published-values file (--published, or the plan's `published`), read once (a replay's as recorded), or null. */
  publishedFile: RecordedFile | null;
  configFile: RecordedFile | null;
  /** Instrument definition files as recorded (replay), or null to read them (once, for every pass). */
  instrumentFiles: RecordedFile[] | null;
  timestamp: boolean;
  outDir: string;
  /** --figure-titles: plan key "figure_titles" from the command line (a replay takes the recorded plan's). */
  figureTitles?: FigureTitles;
}

/**
 * Flags that may stand beside --replay: they change where and in which files the report is written, not what it says.
 * The global options (--no-color, --debug, --quiet) are never among the flags checked: they do not reach the command.
 */
const BESIDE_REPLAY = new Set(['--replay', '--out-dir', '--formats', '--figures']);

export async function replayRequest(
  reportPath: string,
  file: string | undefined,
  givenFlags: string[],
  written: { outDir: string; formats: ReportFormat[] | null; figures: FigureFormat[] | null },
  ctx: Context,
): Promise<ReportRequest> {
  if (file !== undefined) throw new UsageError(`--replay takes the input from ${reportPath}'s provenance, drop ${file}`);
  const extra = givenFlags.filter((f) => !BESIDE_REPLAY.has(f));
  if (extra.length > 0) {
    throw new UsageError(`--replay reruns ${reportPath} as recorded, ${extra.join(', ')} cannot be given beside it (only --out-dir, --formats, --figures)`);
  }
  const p = recordedProvenance(reportPath);
  if (p.tool.version !== VERSION) ctx.warn(`${reportPath} was made by canrelax-analyze ${p.tool.version}, this is ${VERSION}: the numbers may differ`);
  const recordedFiles: Array<[string, RecordedFile | null]> = [
    ['plan', p.plan_file],
    ['config', p.config],
    ...p.instrument_files.map((f) => ['instrument', f] as [string, RecordedFile]),
    ['published values file', p.published_file],
  ];
  for (const [what, recorded] of recordedFiles) {
    if (recorded !== null && (await sha256Of(recorded.content)) !== recorded.sha256) {
      throw new DataError(`${reportPath}: the ${what} ${recorded.path} as recorded does not match its SHA-256 (the report was edited), it cannot be replayed`);
    }
  }

  // The plan as recorded names a published-values file: its text must be recorded too (it is never read again; --published
  // may have replaced it).
  const planPublished = p.plan_file === null ? null : (parsePlan(p.plan_file.content, p.plan_file.path).published ?? null);
  if (planPublished !== null && p.published_file === null) {
    throw new DataError(`${reportPath}: the plan names the published values ${planPublished}, which the provenance does not record (the report was edited), it cannot be replayed`);
  }

  const path = p.input.path;
  if (path !== '-' && !existsSync(path)) {
    throw new DataError(`input ${path} (recorded in ${reportPath}) not found, run --replay in the folder the report was made in`);
  }
  const held = await holdInput(path, ctx);
  if (held.sha256 !== p.input.sha256) {
    const shown = path === '-' ? 'the standard input' : path;
    throw new DataError(
      `${shown} is not the input ${reportPath} was made from (SHA-256 ${held.sha256.slice(0, 12)}…, recorded ${p.input.sha256.slice(0, 12)}…), replay needs the same bytes`,
    );
  }

  const { values: reading, unknown } = valuesFromGiven(REPORT_DATA_OPTIONS.options, p.options);
  if (unknown.length > 0) throw new UsageError(`${reportPath}: unknown option --${unknown[0]} in the provenance, it cannot be replayed`);
  return {
    file: path,
    held,
    reading,
    options: p.options,
    planFile: p.plan_file,
    publishedFile: p.published_file,
    configFile: p.config,
    instrumentFiles: p.instrument_files,
    timestamp: p.timestamp !== null,
    outDir: written.outDir,
    // --figure-titles as recorded in the plan as used (the flag is not among the recorded reading options).
    ...(p.plan.figure_titles === 'none' ? { figureTitles: 'none' as const } : {}),
    // Reports made before the files were recorded: the defaults.
    formats: written.formats ?? (p.files ? choiceList('--formats', REPORT_FORMATS)(p.files.formats.join(',')) : ['json', 'md', 'html']),
    figures: written.figures ?? (p.files ? choiceList('--figures', FIGURE_FORMATS)(p.files.figures.join(',')) : ['svg']),
  };
}

interface Recorded {
  tool: { version: string };
  plan: { published?: string | null; figure_titles?: FigureTitles };
  input: { path: string; sha256: string };
  options: Record<string, string | string[]>;
  plan_file: RecordedFile | null;
  config: RecordedFile | null;
  instrument_files: RecordedFile[];
  published_file: RecordedFile | null;
  files?: { formats: ReportFormat[]; figures: FigureFormat[] };
  timestamp: string | null;
}

/** The parts of report.json's provenance a replay uses, each checked for its shape. */
function recordedProvenance(reportPath: string): Recorded {
  let text: string;
  try {
    text = readFileSync(reportPath, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --replay ${reportPath} (${(error as NodeJS.ErrnoException).code}), check the path`);
  }
  let doc: unknown;
  try {
    doc = parseJson(text);
  } catch (error) {
    throw new UsageError(`--replay ${reportPath} is not valid JSON (${(error as Error).message.split('\n')[0]}), give a report.json`);
  }
  const p = (doc as { provenance?: Record<string, unknown> } | null)?.provenance;
  const notReport = () => new UsageError(`--replay ${reportPath} is not a report.json written by canrelax-analyze report (its provenance is incomplete)`);
  if (p === undefined || p === null || typeof p !== 'object' || p.command !== 'report') throw notReport();
  const text_ = (v: unknown): v is string => typeof v === 'string';
  const file = (v: unknown): boolean => v === null || (typeof v === 'object' && ['path', 'sha256', 'content'].every((k) => text_((v as Record<string, unknown>)[k])));
  const input = p.input as Record<string, unknown> | undefined;
  const tool = p.tool as Record<string, unknown> | undefined;
  const options = p.options as Record<string, unknown> | undefined;
  const ok =
    text_(tool?.version) &&
    p.plan !== null &&
    typeof p.plan === 'object' &&
    text_(input?.path) &&
    text_(input?.sha256) &&
    options !== null &&
    typeof options === 'object' &&
    Object.values(options).every((v) => text_(v) || (Array.isArray(v) && v.every(text_))) &&
    file(p.plan_file) &&
    // A report made before the config was recorded cannot tell whether one was applied.
    'config' in p &&
    file(p.config) &&
    Array.isArray(p.instrument_files) &&
    p.instrument_files.every((f) => f !== null && file(f)) &&
    // A report made before the published-values file was recorded replays only when it checked none.
    (p.published_file === undefined ? (p.plan as { published?: unknown }).published == null : file(p.published_file)) &&
    (p.files === undefined || (typeof p.files === 'object' && p.files !== null && ['formats', 'figures'].every((k) => Array.isArray((p.files as Record<string, unknown>)[k]) && ((p.files as Record<string, unknown[]>)[k]).every(text_)))) &&
    (p.timestamp === null || text_(p.timestamp));
  if (!ok) throw notReport();
  return { ...p, published_file: p.published_file ?? null } as unknown as Recorded;
}
