/**
 * The `tool` and `input` blocks every JSON document starts with: which program, which file, which rows, and the
 * config file applied (path, SHA-256, text: data/schema.ts readConfigFile), or null.
 */
import type { Dataset } from '../data/dataset';
import { VERSION } from '../version';

export function provenance(dataset: Dataset) {
  return {
    tool: { name: 'canrelax-analyze', version: VERSION },
    input: {
      path: dataset.input.source,
      sha256: dataset.input.sha256(),
      rows: dataset.counts.read,
      rows_kept: dataset.counts.kept,
      where: dataset.whereText,
      config: dataset.config.file,
    },
  };
}
