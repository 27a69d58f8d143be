/** The pieces behind issue 9.1 / 9.5 messages: what a cell that is not a number probably is, and repeated ids. */
import { flagName } from '../../src/cli/flag-name';
import { isOutOfRange, notANumberFix, numberFormat } from '../../src/data/values';
import { IdRepeats } from '../../src/data/ids';

const dot = numberFormat();
const comma = numberFormat([], ',');

test('out of a double\'s range: number-shaped and infinite (1.8e308 is the largest double)', () => {
  expect(isOutOfRange('1e400', dot)).toBe(true);
  expect(isOutOfRange(' -2e309 ', dot)).toBe(true);
  expect(isOutOfRange('1,5e400', comma)).toBe(true);
  expect(isOutOfRange('1e308', dot)).toBe(false);
  expect(isOutOfRange('Infinity', dot)).toBe(false);
  expect(isOutOfRange('n/a', dot)).toBe(false);
});

test('the fix named from the cells', () => {
  expect(notANumberFix(['70,5'], dot, 'age', true).text(flagName)).toBe('pass --decimal , if 70,5 means 70.5');
  expect(notANumberFix(['70.5'], comma, 'age', true).text(flagName)).toBe('drop --decimal , (70.5 has a decimal point)');
  expect(notANumberFix(['n/a', 'unknown', 'n/a'], dot, 'age', false).text(flagName)).toBe('declare missing codes with --na n/a,unknown (or "na" in the config)');
  expect(notANumberFix(['low'], dot, 'ses', true).text(flagName)).toBe('declare missing codes with --na low (or "na" in the config); or pass --categorical ses if the column really is a factor');
  expect(notANumberFix(['1e400', 'not known'], dot, 'age', false).text(flagName)).toBe(
    '1e400 is beyond the largest number (1.8e308), correct it; declare missing codes with --na "not known" (or "na" in the config)',
  );
});

test('repeated ids: each repeat with the line of its first occurrence, in file order; blanks ignored', () => {
  const ids = new IdRepeats('id');
  ['a', 'b', '', 'a', 'c', ' b', '', 'a'].forEach((id, i) => ids.add(id, i + 2));
  expect(ids.repeats()).toEqual([
    [5, 2],
    [7, 3],
    [9, 2],
  ]);
  expect(ids.warning('f.csv')).toBe("3 rows repeat an earlier row's id: line 5 (as line 2), line 7 (as line 3), line 9 (as line 2), f.csv; each row counts as a participant, run validate for the list");
  const none = new IdRepeats('id');
  for (let i = 0; i < 10_000; i++) none.add(`CR${i}`, i + 2);
  expect(none.warning('f.csv')).toBeNull();
});
