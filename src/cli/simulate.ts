/**
 * simulate — a CanRelax-like export in the default schema, from the documented generative model
 * (README "Simulated data", src/data/simulate.ts). Same --n and --seed, byte-identical output; the first
 * rows of a larger n are the rows of a smaller one.
 */
import { Output } from '../io/output';
import { option } from '../errors';
import { csvLine } from '../render/format';
import { simulateRows, simulateMatch, SIMULATED_COLUMNS } from '../data/simulate';
import { loadPublished } from '../data/published';
import { declaredOptions, defineCommand } from './command';
import { OUT_OPTION } from './common';
import { SIMULATE_OPTIONS } from '../data/simulate-options';

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'write a simulated CanRelax-like export (both arms, items, a few percent missing)',
  options: {
    ...declaredOptions(SIMULATE_OPTIONS),
    out: OUT_OPTION,
  },
  examples: [
    'canrelax-analyze simulate --match examples/published/canrelax-2026.json --seed 2026 > examples/canrelax-synthetic.csv',
    'canrelax-analyze simulate --n 234 --seed 7',
    'canrelax-analyze simulate --n 1000000 --seed 1 --out big.csv',
  ],
  async run(_args, opts, ctx) {
    let rows: Iterable<string[]>;
    if (opts.match !== undefined) {
      rows = simulateMatch(await loadPublished(opts.match, option('match')), { seed: opts.seed, n: opts.n ?? null }).rows;
    } else rows = simulateRows({ n: opts.n ?? 117, seed: opts.seed });
    const out = Output.open(opts.out, [opts.match], ctx);
    await out.complete(async () => {
      out.write(csvLine(SIMULATED_COLUMNS, ','));
      let count = 0;
      for (const row of rows) {
        out.write(row.join(',') + '\n');
        if (++count % 4096 === 0) await out.flush();
      }
    });
  },
});
