/** simulate's options, declared once (options.ts): its command-line flags come from here. */
import { option, words } from '../errors';
import { DEFAULT_SEED, SEED_RULE, text, whole } from '../options';

export const SIMULATE_OPTIONS = {
  n: whole('n', { min: 1, max: 100_000_000 }, { placeholder: 'rows', description: words`number of participants (default 117; with ${option('match')} twice the published N)` }),
  seed: whole('seed', SEED_RULE, { placeholder: 'seed', description: "random seed (same seed, same file; as every random procedure's)", default: DEFAULT_SEED }),
  match: text('match', {
    placeholder: 'file',
    description: words`published values (JSON): the app arm has the published N and reproduces every value and claim, with the WAI-I factor model proper in each sex; ${option('n')} is then the whole file`,
  }),
};
