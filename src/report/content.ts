/**
 * What the report says: the title and introduction, then each step's heading and blocks (each step writes its own:
 * steps/), then the provenance. Numbers come from the step results as computed; the steps only round them and put
 * them into words (wording.ts, render/apa.ts).
 */
import { bounded } from '../render/apa';
import type { Block, FigurePlan } from './blocks';
import type { Provenance } from './document';
import type { ReportRun, ReportStep, WriteContext } from './step';
import { Labels, joinAnd, levelText, P_ADJUST_NAMES } from './wording';

export interface ReportContent {
  title: string;
  blocks: Block[];
  provenance: Block[];
  figures: FigurePlan[];
}

export function reportContent(run: ReportRun, provenance: Provenance): ReportContent {
  const labels = new Labels(run.variables);
  const plan = run.plan;
  const ctx: WriteContext = {
    run,
    labels,
    tables: 0,
    figures: 0,
    figurePlans: [],
    resultOf: <R>(step: ReportStep<R>) => run.steps.find((s) => s.step === step)?.result as R | undefined,
  };

  const blocks: Block[] = [{ kind: 'heading', level: 1, text: plan.title }];
  blocks.push({ kind: 'paragraph', text: introduction(run, labels) });
  if (run.notes.length) blocks.push({ kind: 'list', items: run.notes.map((n) => `Note: ${n}.`) });

  run.steps.forEach(({ step, result }, i) => {
    blocks.push({ kind: 'heading', level: 2, text: `${i + 1}. ${step.heading ? step.heading(ctx) : step.title}` });
    blocks.push(...step.write(result, ctx));
  });

  return { title: plan.title, blocks, provenance: provenanceBlocks(provenance), figures: ctx.figurePlans };
}

function introduction(run: ReportRun, labels: Labels): string {
  const plan = run.plan;
  const input = run.input;
  const rows = `${input.rows} rows read${plan.where ? `, ${input.rows_kept} kept where ${plan.where}` : ''}`;
  const alpha = bounded(1 - plan.ci, 3).replace(/0+$/, '');
  return (
    `Reanalysis of \`${run.source.path === '-' ? 'stdin' : run.source.path}\` (${rows}). ` +
    `Outcome: ${labels.described(plan.y)}. Alliance variables: ${joinAnd(plan.x.map((x) => labels.described(x)))}. ` +
    `Covariates: ${plan.covariates.length ? joinAnd(plan.covariates.map((c) => labels.described(c))) : 'none'}` +
    `${plan.stratifier ? `; stratifier: ${labels.described(plan.stratifier)}` : ''}. ` +
    `Intervals are ${levelText(plan.ci)} confidence intervals; tests are two-sided (α = ${alpha})` +
    `${plan.p_adjust !== 'none' ? `, with *p* values also adjusted (${P_ADJUST_NAMES[plan.p_adjust]}) over each table's tests` : ''}.`
  );
}

function provenanceBlocks(p: Provenance): Block[] {
  const items = [
    `Tool: canrelax-analyze ${p.tool.version}, \`report\``,
    `Input: \`${p.input.source}\`, ${p.input.bytes} bytes, SHA-256 \`${p.input.sha256}\``,
    `Rows: ${p.input.rows} read, ${p.input.rows_kept} kept${p.input.where ? ` (where ${p.input.where})` : ''}`,
    `Plan: ${p.plan_file ? `\`${p.plan_file.path}\`, SHA-256 \`${p.plan_file.sha256}\`` : 'the default plan'}, as used below (defaults filled in)`,
    `Options: ${Object.keys(p.options).length ? Object.entries(p.options).map(([k, v]) => `\`--${k} ${Array.isArray(v) ? v.join(' ') : v}\``).join(', ') : 'none'}`,
    `Config: ${p.config ? `\`${p.config.path}\`, SHA-256 \`${p.config.sha256}\` (its content is in report.json)` : 'none'}`,
    ...p.instrument_files.map((f) => `Instrument definition: \`${f.path}\`, SHA-256 \`${f.sha256}\` (its content is in report.json)`),
    ...(p.published_file ? [`Published values: \`${p.published_file.path}\`, SHA-256 \`${p.published_file.sha256}\` (its content is in report.json)`] : []),
    `Bootstrap seed: ${p.seed}`,
    ...(p.timestamp ? [`Generated: ${p.timestamp}`] : []),
  ];
  return [
    { kind: 'heading', level: 2, text: 'Provenance' },
    { kind: 'list', items },
    { kind: 'code', language: 'json', text: JSON.stringify(p.plan, null, 2) },
  ];
}
