/**
 * simulate — a CanRelax-like export in the default schema, from the documented generative model
 * (README "Simulated data", src/data/simulate.ts). Same --n and --seed, byte-identical output; the first
 * rows of a larger n are the rows of a smaller one.
 */
import { Output } from '../io/output';
import { csvLine } from '../render/format';
import { simulateRows, simulateMatch, SIMULATED_COLUMNS } from '../data/simulate';
import { loadPublished } from '../data/published';
import { declared, defineCommand } from './command';
import { OUT_OPTION } from './common';
import { option, words } from '../errors';
import { DEFAULT_SEED, SEED_RULE, text, whole } from '../options';

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'write a simulated CanRelax-like export (both arms, items, a few percent missing)',
  options: {
    n: declared(whole('n', { min: 1, max: 100_000_000 }, { placeholder: 'rows', description: 'number of participants (default 117; with --match twice the published N)' })),
    seed: declared(whole('seed', SEED_RULE, { placeholder: 'seed', description: "random seed (same seed, same file; as every random procedure's)", default: DEFAULT_SEED })),
    match: declared(text('match', { placeholder: 'file', description: words`published values (JSON): the app arm has the published N and reproduces every value and claim; ${option('n')} is then the whole file` })),
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
      rows = simulateMatch(loadPublished(opts.match, '--match'), { seed: opts.seed, n: opts.n ?? null }).rows;
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
