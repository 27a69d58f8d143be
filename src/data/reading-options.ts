/**
 * The reading options, declared once (options.ts): how every data command reads its input. The command line's
 * reading flags come from here; the report takes some from its plan ("where", "compute", "scores") and some from the
 * config file ("na", "decimal", "map", "instruments").
 */
import { CANRELAX } from './canrelax';
import { choice, fraction, repeated, text, whole } from '../options';

export const READING_OPTIONS = {
  delimiter: text('delimiter', { placeholder: 'd', description: 'field delimiter: "," ";" or tab (default: .tsv means tab, else read off the header)', report: { config: 'delimiter' } }),
  decimal: text('decimal', { placeholder: 'mark', description: 'decimal mark: "." (default) or ","', report: { config: 'decimal' } }),
  sheet: text('sheet', { placeholder: 'name|n', description: 'Excel: the sheet to read, by name or number from 1 (default: the first)' }),
  values: choice('values', ['labels', 'codes'], { placeholder: 'kind', description: 'SPSS value-labelled columns: labels (factors named by their labels) or codes', default: 'labels' }),
  na: text('na', { placeholder: 'codes', description: 'extra missing-value codes, comma-separated, e.g. -99,-999', report: { config: 'na' } }),
  where: text('where', {
    placeholder: 'filter',
    description: 'keep rows that match, e.g. "arm=app,age>=18" or "arm == \'app\' and age >= 18"',
    report: { plan: 'where', default: CANRELAX.where, description: 'keep rows that match, e.g. "arm=app" (null: every row)' },
    rule: 'must be a filter such as "arm=app", or null for every row',
  }),
  compute: repeated('compute', {
    placeholder: 'name=expr',
    description: 'add a column computed from others, e.g. "change = phqads_total_w10 - phqads_total_t0" (repeatable, in order)',
    report: { plan: 'compute', description: 'computed columns, a list of "NAME = EXPRESSION", made after scoring and before "where"' },
  }),
  config: text('config', { placeholder: 'file', description: 'roles, item mapping and defaults (default: ./canrelax.config.json if present)' }),
  map: text('map', { placeholder: 'pairs', description: 'item columns under other names, COLUMN=ITEM,… e.g. WAI4_01=wai_1', report: { config: 'map' } }),
  instrument: repeated('instrument', { placeholder: 'id|file', description: 'instrument to score: wai, phqads or a .json definition (repeatable)', report: { config: 'instruments' } }),
  minAnswered: fraction('minAnswered', { placeholder: 'fraction', description: "override every instrument's threshold of answered items, in (0, 1]" }),
  outOfRange: choice('outOfRange', ['error', 'missing'], { placeholder: 'policy', description: "answers outside the instrument's range", default: 'error' }),
  scores: choice('scores', ['items', 'file'], {
    placeholder: 'source',
    description: "a score column the file already has (wai_total): computed from the items, the file's set aside (items), or the file's used (file)",
    report: { plan: 'scores', description: '"items": a score computed from the items when the file has a column of its name; "file": the file\'s used' },
    rule: 'must be "items" (computed from the items) or "file" (the file\'s score columns)',
  }),
  // Reader chunk size, for tests that show results do not depend on it: a positive whole number of bytes (0 made
  // the reader loop for ever), also when a hand-edited report.json gives it to --replay (read by the same declaration).
  chunkSize: whole('chunkSize', { min: 1, max: 1 << 30, unit: ' of bytes' }, { placeholder: 'bytes', description: '', hidden: true }),
};
