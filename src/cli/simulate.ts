/**
 * simulate — a CanRelax-like export in the default schema, from the documented generative model
 * (README "Simulated data", src/data/simulate.ts). Same --n and --seed, byte-identical output; the first
 * rows of a larger n are the rows of a smaller one.
 */
import { UsageError } from '../errors';
import { Output } from '../io/output';
import { csvLine } from '../render/format';
import { defineCommand, parsed } from './command';
import { OUT_OPTION } from './common';

function wholeNumber(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'write a simulated CanRelax-like export (both arms, items, a few percent missing)',
  options: {
    n: parsed('--n <rows>', 'number of participants', wholeNumber('--n', 1, 100_000_000), 117),
    seed: parsed('--seed <seed>', 'random seed (same seed, same file)', wholeNumber('--seed', 0, 0xffffffff), 1),
    out: OUT_OPTION,
  },
  examples: [
    'canrelax-analyze simulate --n 234 --seed 2026 > examples/canrelax-synthetic.csv',
    'canrelax-analyze simulate --n 1000000 --seed 1 --out big.csv',
  ],
  async run(_args, opts, ctx) {
    const { simulateRows, SIMULATED_COLUMNS } = await import('../data/simulate');
    const out = Output.open(opts.out, null, ctx);
    await out.complete(async () => {
      out.write(csvLine(SIMULATED_COLUMNS, ','));
      let count = 0;
      for (const row of simulateRows({ n: opts.n, seed: opts.seed })) {
        out.write(row.join(',') + '\n');
        if (++count % 4096 === 0) await out.flush();
      }
    });
  },
});
