/**
 * simulate — a CanRelax-like export in the default schema, from the documented generative model
 * (README "Simulated data", src/data/simulate.ts). Same --n and --seed, byte-identical output; the first
 * rows of a larger n are the rows of a smaller one.
 *
 * Usage: canrelax-analyze simulate [--n 117] [--seed N] [--out FILE]
 *
 * Examples:
 *   canrelax-analyze simulate --n 234 --seed 2026 > examples/canrelax-synthetic.csv
 *   canrelax-analyze simulate --n 1000000 --seed 1 --out big.csv
 */
import { Command } from 'commander';
import type { Register } from './main';
import { addGlobalOptions } from './common';
import { Output } from '../io/output';
import { UsageError } from '../errors';
import { csvLine } from '../render/format';
import { simulateRows, SIMULATED_COLUMNS } from '../data/simulate';

function wholeNumber(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

export const registerSimulate: Register = (program, setContext) => {
  const command = new Command('simulate')
    .description('write a simulated CanRelax-like export (both arms, items, a few percent missing)')
    .option('--n <rows>', 'number of participants', wholeNumber('--n', 1, 100_000_000), 117)
    .option('--seed <seed>', 'random seed (same seed, same file)', wholeNumber('--seed', 0, 0xffffffff), 1)
    .option('--out <file>', 'write to FILE atomically instead of stdout')
    .addHelpText('after', `
Examples:
  canrelax-analyze simulate --n 234 --seed 2026 > examples/canrelax-synthetic.csv
  canrelax-analyze simulate --n 1000000 --seed 1 --out big.csv`)
    .action(async (opts: Record<string, unknown>) => {
      const ctx = setContext({ color: opts.color as boolean, debug: opts.debug as boolean });
      const out = Output.open(opts.out as string | undefined, null, ctx);
      await out.complete(async () => {
        out.write(csvLine(SIMULATED_COLUMNS, ','));
        let count = 0;
        for (const row of simulateRows({ n: opts.n as number, seed: opts.seed as number })) {
          out.write(row.join(',') + '\n');
          if (++count % 4096 === 0) await out.flush();
        }
      });
    });
  addGlobalOptions(command);
  program.addCommand(command);
};
