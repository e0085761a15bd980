import { DefinitionError } from '../../core/index.js';

/** A parsed cron expression: the allowed values of each field, ascending. */
export interface CronSpec {
  source: string;
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: readonly number[];
  months: readonly number[];
  /** 0 = Sunday … 6 = Saturday (7 in the expression is read as 0). */
  daysOfWeek: readonly number[];
  /** Both day fields restricted: a day matches if EITHER matches (Vixie cron's rule). */
  dayOr: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** First value the names map to (months are 1-based, weekdays 0-based). */
  namesFrom?: number;
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  // 7 is accepted as Sunday, as in every common cron.
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, namesFrom: 0 },
];

/**
 * Parses a 5-field cron expression (`*`, `N`, `A-B`, `*\/S`, `A-B/S`, `N/S`, lists with commas,
 * month and weekday names, `@daily`-style macros); throws DefinitionError naming the bad field.
 */
export function parseCron(expression: string): CronSpec {
  const text = expression.trim();
  const expanded = MACROS[text.toLowerCase()] ?? text;
  const parts = expanded.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    throw new DefinitionError([`cron "${expression}": expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`]);
  }
  const problems: string[] = [];
  const values = parts.map((part, i) => {
    try {
      return parseField(part, FIELDS[i]!);
    } catch (error) {
      problems.push(`cron "${expression}": ${(error as Error).message}`);
      return [];
    }
  });
  if (problems.length > 0) throw new DefinitionError(problems);
  const [minutes, hours, daysOfMonth, months, weekdays] = values as [number[], number[], number[], number[], number[]];
  const daysOfWeek = [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b);
  return { source: text, minutes, hours, daysOfMonth, months, daysOfWeek, dayOr: !parts[2]!.startsWith('*') && !parts[4]!.startsWith('*') };
}

function parseField(field: string, rule: FieldRule): number[] {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || stepText === '') throw new Error(`${rule.name} field "${field}": bad step "${stepText}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = rule.min;
      to = rule.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = value(a, field, rule);
      to = value(b, field, rule);
      if (to < from) throw new Error(`${rule.name} field "${field}": range ${range} runs backwards`);
    } else {
      from = value(range, field, rule);
      // `N/S` means from N to the end of the field, stepping by S.
      to = stepText === undefined ? from : rule.max;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function value(text: string, field: string, rule: FieldRule): number {
  const named = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  const n = named >= 0 ? named + (rule.namesFrom ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new Error(`${rule.name} field "${field}": "${text}" is not a number${rule.names ? ' or a name' : ''}`);
  if (n < rule.min || n > rule.max) throw new Error(`${rule.name} field "${field}": ${n} is outside ${rule.min}-${rule.max}`);
  return n;
}
