/** --write-imputations DIR: DIR/imputations.csv, written atomically as the completed data sets come. */
import { join } from 'node:path';
import { makeFolder, Output, removeFolders, type InputPaths } from '../io/output';
import { option } from '../errors';
import { csvLine } from '../render/format';
import type { ImputationSummary, MissingOptions } from '../frame/missing';
import type { Context } from './context';

/**
 * A sink for the analyses' rows of fields (header first), its close and abort (no file left), or null without
 * --write-imputations. `inputs`: the run's input files, which the imputations file may not replace (the same guard as --out).
 */
export function imputationSink(missing: MissingOptions, ctx: Context, inputs: InputPaths): { sink: (rows: string[][]) => void; close: () => Promise<void>; abort: () => void } | null {
  if (missing.missing !== 'mi' || missing.writeImputations === null) return null;
  const made = makeFolder(missing.writeImputations, option('writeImputations'));
  let out: Output;
  try {
    out = Output.open(join(missing.writeImputations, 'imputations.csv'), inputs, ctx, option('writeImputations'));
  } catch (error) {
    removeFolders(made);
    throw error;
  }
  return {
    sink: (rows) => {
      for (const row of rows) out.write(csvLine(row, ','));
    },
    close: () => out.close(),
    abort: () => {
      out.abort();
      removeFolders(made);
    },
  };
}

/**
 * --write-imputations around an analysis: `sink` for the analysis's options (undefined without the flag), and `run`,
 * which keeps the file only when something was imputed (with nothing missing it is removed and the warning given; on
 * a failure it is removed).
 */
export function imputationWriter(missing: MissingOptions, ctx: Context, inputs: InputPaths) {
  const written = imputationSink(missing, ctx, inputs);
  return {
    sink: written?.sink,
    async run<R extends { imputation?: ImputationSummary }>(analyse: () => Promise<R>): Promise<R> {
      let result: R;
      try {
        result = await analyse();
      } catch (error) {
        written?.abort();
        throw error;
      }
      if (result.imputation?.nothing_missing) {
        written?.abort();
        ctx.warn('--missing mi: nothing is missing in the variables analysed, the result is the listwise one');
      } else await written?.close();
      return result;
    },
  };
}
