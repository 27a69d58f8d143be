/**
 * The streaming engine (Pearson without the bootstrap): each row coded once by its stratum's RowEncoder
 * (src/data/design.ts) into co-moments shared by the stratum's analyses (see StreamGroup); constant memory.
 */
import { RowEncoder } from '../../data/design';
import type { Variable } from '../../data/variables';
import { CoMoments } from '../../stats/moments';
import type { Analysis, Coded, CorrelateOptions } from './types';

/**
 * Adds a row to a stratum's streaming co-moments (see StreamGroup): once to `shared` when every analysis can use
 * it, else to the `own` moments of each analysis that can. Indicator columns grow as new levels appear.
 */
export function addStreaming(analyses: Analysis[], all: boolean, values: Float64Array, vars: Variable[], covs: number[]): void {
  const group = analyses[0].group;
  // Laid out on the first row an analysis uses, when every covariate's kind is known (x and y are numeric).
  if (group.encoder === null) {
    const numeric: number[] = [];
    for (let v = 0; v < vars.length; v++) {
      const used = analyses.some((a) => a.x === v || a.y === v) || covs.includes(v);
      if (used && !vars[v].categorical) numeric.push(v);
    }
    group.encoder = new RowEncoder(vars.length, numeric, covs.filter((c) => vars[c].categorical));
  }
  // A new level: a new column in every moments of the group (all rows so far had 0 in it).
  for (let added = group.encoder.encode(values); added > 0; added--) for (const m of [group.shared, ...group.own]) m?.addVariable();
  const row = group.encoder.row;
  if (all) {
    (group.shared ??= new CoMoments(row.length)).add(row);
    return;
  }
  for (const a of analyses) {
    // The row counts for analysis a when it was complete there: a.n was just incremented for it.
    if (!rowCompleteFor(a, values)) continue;
    (group.own[a.slot] ??= new CoMoments(row.length)).add(row);
  }
}

function rowCompleteFor(a: Analysis, values: Float64Array): boolean {
  const members = a.members;
  for (let m = 0; m < members.length; m++) if (values[members[m]] !== values[members[m]]) return false;
  return true;
}

/** The co-moments of one analysis's rows: the stratum's shared ones merged with the analysis's own. */
function momentsOf(a: Analysis): CoMoments {
  const { shared, own, encoder } = a.group;
  const mine = own[a.slot];
  if (shared === null) return mine ?? new CoMoments(encoder?.width ?? 0);
  const merged = shared.clone();
  if (mine !== null) merged.merge(mine);
  return merged;
}

/** Covariate coding of one analysis, from its stratum's streamed co-moments. */
export function codeStreaming(a: Analysis, vars: Variable[], covs: number[], options: CorrelateOptions): Coded {
  const encoder = a.group.encoder;
  const moments = momentsOf(a);
  // x and y first, as the held coding has them: the partial machinery takes indices.
  const z: number[] = [];
  const names: string[] = [];
  for (const c of covs) {
    const variable = vars[c];
    if (!variable.categorical) {
      z.push(encoder?.columnOf(c) ?? -1);
      names.push(variable.name);
      continue;
    }
    // Levels present in this analysis's rows: those whose indicator column is not all zero there.
    const coded = encoder?.factor(variable, c, (at) => moments.n > 0 && moments.mean[at] > 0, { ref: options.ref, stratum: a.stratum });
    if (!coded) continue;
    z.push(...coded.at);
    names.push(...coded.coding.names);
  }
  return { moments, x: encoder ? encoder.columnOf(a.x) : 0, y: encoder ? encoder.columnOf(a.y) : 1, z, names, columns: null };
}
