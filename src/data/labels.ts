/**
 * The one label source: how a variable is named to readers (the report's text, tables, figure axes and captions, the
 * DOCX, the CLI's footers). In order:
 *   1. `labels` in the plan, then in canrelax.config.json, by the name typed (a role) or the column:
 *      { "distress": "Distress at week 12 (PHQ-ADS)" };
 *   2. the column's SPSS variable label;
 *   3. for a role of the schema, its words, the time point read off the column's suffix: distress on `_w10` is
 *      "week-10 distress" (`_w12` "week-12 distress"), on `_t2` "T2 distress", on a column without one "distress";
 *   4. the column's name.
 * A label is written as given in tables; in a sentence its first letter is lower-cased unless it starts an acronym.
 */

/** [in a sentence, in a table] of a role of the schema, given its column. */
function roleWords(role: string, column: string): [string, string] | null {
  switch (role) {
    case 'alliance':
      return ['alliance', 'Alliance (WAI-I total)'];
    case 'bond':
    case 'task':
    case 'goal':
      return [role, capitalise(role)];
    case 'distress': {
      const when = timepoint(column);
      return when === null ? ['distress', 'Distress (PHQ-ADS)'] : [`${when} distress`, `${capitalise(when)} distress (PHQ-ADS)`];
    }
    case 'baseline':
      return ['baseline distress', 'Baseline distress (PHQ-ADS)'];
    case 'expectation':
      return ['treatment expectation', 'Treatment expectation'];
    case 'sex':
    case 'age':
      return [role, capitalise(role)];
    default:
      return null;
  }
}

/** The time point a column's suffix names: `_w10` → "week-10", `_t2` → "T2", `_fu1` → "FU1"; null without one. */
export function timepoint(column: string): string | null {
  const week = /_w(\d+)$/i.exec(column);
  if (week !== null) return `week-${Number(week[1])}`;
  const other = /_([a-z]+\d+)$/i.exec(column);
  return other === null ? null : other[1].toUpperCase();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A label's form in a sentence: "Distress at week 12" → "distress at week 12", "PHQ-ADS total" stays. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

export class VariableLabels {
  /**
   * `given`: the config's labels, then the plan's over them (by role or column); `spss`: SPSS variable labels by column.
   */
  constructor(
    private readonly given: ReadonlyMap<string, string>,
    private readonly spss: ReadonlyMap<string, string>,
  ) {}

  /** The label given or read for a variable (rules 1–2), or undefined. */
  own(name: string, column: string): string | undefined {
    return this.given.get(name) ?? this.given.get(column) ?? this.spss.get(column);
  }

  /** A column in a footer: "Age (years) (Alter)" when it has a label given or read, else the column alone. */
  named(column: string): string {
    const own = this.own(column, column);
    return own === undefined || own === column ? column : `${own} (${column})`;
  }

  /** [in a sentence, in a table] of a variable typed as `name` (a role or a column) standing for `column`. */
  words(name: string, column: string, role: string | null): [string, string] {
    const own = this.own(name, column);
    if (own !== undefined) return [inSentence(own), own];
    return (role !== null ? roleWords(role, column) : null) ?? [column, column];
  }
}
