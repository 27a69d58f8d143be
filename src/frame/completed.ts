/**
 * Multiple imputation as a service of the floor, not a fork of each analysis. `completedSamples(dataset, spec,
 * options)` reads the rows once (frame/missing.ts setUpImputation, through readSample) and gives the M completed data
 * sets as readSample gives the observed rows: per stratum, the members' columns, with no row left out. `fitEachPool`
 * is mice's `with()` + `pool()`: an analysis's own fit on every completed data set, each coefficient pooled by Rubin's
 * rules with the fit's own complete-data df (stats/pool.ts poolCoefficient, as mice::pool on lm: ν_com =
 * df.residual). An analysis with `--missing mi` is its complete-data fit and a list of the coefficients it reports
 * with their complete-data variances (model's and mediate's: SE²; correlate's: each r as its Fisher z, with
 * W = 1/(n − 3 − k) as it is and ν_com = n − 2 − k).
 *
 * The completed data sets come one at a time (memory flat in M); `--write-imputations` receives each as it comes, in
 * mice::complete(imp, "long") layout.
 */
import type { Dataset } from '../data/dataset';
import type { VariableSet } from '../data/variables';
import { Exclusions } from '../data/variables';
import { pickable } from '../data/growable';
import { poolCoefficient, type PooledCoefficient } from '../stats/pool';
import { anyMissing, imputationSummary, imputations, setUpImputation, type ImputationSetUp, type ImputationSummary, type MissingOptions } from './missing';
import type { Sample } from './sample';

export interface CompletedSpec {
  variables: VariableSet;
  /** The analysed variables: imputed, and the columns of every sample, in this order. */
  members: readonly number[];
  /** The stratifier: each stratum is imputed on its own and is its own sample. */
  by: number | null;
  /** The stratifier's reference level (--ref), listed first as readSample lists it. */
  ref?: string;
  /** Name each row as readSample does (readSample's idColumn): its samples' ids (else "row N", N its number after --where). */
  idColumn?: number;
}

export interface CompletedSamples {
  setUp: ImputationSetUp;
  /** How the data were imputed, for the output. */
  summary: ImputationSummary;
  /** Nothing was missing: `each` gives the observed data once (the listwise result). */
  nothingMissing: boolean;
  /** The strata in readSample's order: level order, the reference first (one null without a stratifier). */
  strata: (string | null)[];
  /** Each stratum's rows, as indices into setUp's columns (the observed values: NaN where one was imputed). */
  strataRows: Int32Array[];
  /** How many data sets `each` gives: M, or 1 when nothing is missing. */
  count: number;
  /** Each completed data set's samples, one per stratum, one data set at a time. */
  each(): Generator<Sample[]>;
}

/** Rows of fields for --write-imputations, the header first. */
export type ImputationSink = (rows: string[][]) => void;

export async function completedSamples(dataset: Dataset, spec: CompletedSpec, options: MissingOptions, sink?: ImputationSink): Promise<CompletedSamples> {
  const { variables, members, by } = spec;
  const setUp = await setUpImputation(dataset, variables, { analysed: [...members], by, ref: spec.ref, idColumn: spec.idColumn }, options);
  const nothingMissing = !anyMissing(setUp);
  const strata = by === null ? [null] : setUp.strataNames;
  const n = setUp.rowIds.length;
  const rowsOf = strata.map((_, s) => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (setUp.strata === null || setUp.strata[i] === s) rows.push(i);
    return Int32Array.from(rows);
  });
  const samplesOf = (completed: Float64Array[]): Sample[] =>
    strata.map((stratum, s) => {
      const rows = rowsOf[s];
      const columns = members.map((v) => {
        const values = completed[setUp.columnOf(v)];
        return pickable(Float64Array.from(rows, (i) => values[i]));
      });
      return {
        stratum,
        n: rows.length,
        columns,
        ids: Array.from(rows, (i) => (spec.idColumn === undefined ? `row ${setUp.rowIds[i]}` : setUp.rowNames[i])),
        rows: Int32Array.from(rows, (i) => setUp.rowIds[i]),
        excluded: new Exclusions(),
      };
    });
  const written = [...new Set(members)];
  return {
    setUp,
    summary: imputationSummary(setUp, options, nothingMissing),
    nothingMissing,
    strata,
    strataRows: rowsOf,
    count: nothingMissing ? 1 : options.imputations,
    *each() {
      if (nothingMissing) {
        yield samplesOf(setUp.columns.map((c) => c.values));
        return;
      }
      const vars = variables.list;
      sink?.([['.imp', '.id', ...written.map((v) => vars[v].name), ...(by === null ? [] : [vars[by].name])]]);
      let m = 0;
      for (const completed of imputations(setUp, options)) {
        m++;
        sink?.(imputationRows(setUp, completed, m, written, by));
        yield samplesOf(completed);
      }
    },
  };
}

/**
 * One completed data set in mice::complete(imp, "long") layout: .imp, .id (the row's number after --where), the
 * columns (levels by name; numbers as JavaScript's shortest round-trip decimal, so R reads back the same doubles).
 */
export function imputationRows(setUp: ImputationSetUp, completed: Float64Array[], m: number, written: readonly number[], by: number | null): string[][] {
  const vars = setUp.variables.list;
  const columns = written.map((v) => completed[setUp.columnOf(v)]);
  const lines: string[][] = [];
  for (let i = 0; i < setUp.rowIds.length; i++) {
    const cells = [String(m), String(setUp.rowIds[i])];
    written.forEach((v, j) => {
      const value = columns[j][i];
      cells.push(vars[v].categorical ? vars[v].levelNames[value] : String(value));
    });
    if (by !== null) cells.push(setUp.strataNames[setUp.strata![i]]);
    lines.push(cells);
  }
  return lines;
}

/**
 * A coefficient of one fit: null where the fit has none (aliased, or no rows); `variance` its complete-data variance
 * U (a coefficient's SE², or a closed form such as Fisher z's 1/(n − 3 − k), given as it is rather than through a
 * square root); `df` its model's complete-data df.
 */
export interface Coefficient {
  estimate: number | null;
  variance: number | null;
  df: number | null;
}

/** A coefficient with its standard error (an lm term): U = SE². */
export const withSe = (estimate: number | null, se: number | null, df: number | null): Coefficient => ({ estimate, variance: se === null ? null : se * se, df });

/** One stratum over the completed data sets: the first fit (the layout of the result) and each coefficient pooled. */
export interface PooledFits<F> {
  first: F;
  /** Per coefficient, in the order `coefficients` lists them; null where a fit lacks it or its model has no df. */
  pooled: (PooledCoefficient | null)[];
}

/**
 * mice's `with()` + `pool()`: `fit` on each stratum of every completed data set, the `coefficients` of each fit pooled
 * by Rubin's rules (poolCoefficient) with its model's complete-data df (ν_com, the first fit's: the rows, hence the
 * df, are the same in every data set). With nothing missing the one fit is given and nothing is pooled.
 */
export function fitEachPool<F>(
  completed: CompletedSamples,
  fit: (sample: Sample, stratum: number) => F,
  coefficients: (fit: F) => Coefficient[],
  ciLevel: number,
): PooledFits<F>[] {
  const fits = completed.strata.map(() => ({ first: null as F | null, estimates: [] as (number | null)[][], variances: [] as (number | null)[][] }));
  for (const samples of completed.each()) {
    samples.forEach((sample, s) => {
      const result = fit(sample, s);
      const f = fits[s];
      f.first ??= result;
      const values = coefficients(result);
      f.estimates.push(values.map((c) => c.estimate));
      f.variances.push(values.map((c) => c.variance));
    });
  }
  return fits.map(({ first, estimates, variances }) => {
    const dfs = coefficients(first!).map((c) => c.df);
    if (completed.nothingMissing) return { first: first!, pooled: dfs.map(() => null) };
    const pooled = dfs.map((dfCom, j) => {
      const q = estimates.map((e) => e[j]);
      const u = variances.map((e) => e[j]);
      if (dfCom === null || q.some((v) => v === null) || u.some((v) => v === null)) return null;
      return poolCoefficient(q as number[], u as number[], dfCom, ciLevel);
    });
    return { first: first!, pooled };
  });
}
