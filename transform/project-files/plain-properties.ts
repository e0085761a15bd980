import type { GenericTestKind } from './data-test.js';
import type { ProjectFile } from './load-project-config.js';
import type { SchemaFile } from './schema-file-schema.js';

// The shapes of schema-file-schema.ts, load-project-config.ts's and parse-test-entry.ts's argument
// schemas, checked without zod for the files and tests written as expected (nearly all): zod then
// loads and runs only on the others, for its messages. Each check accepts only what its zod schema
// accepts unchanged; when in doubt it says no.

type Obj = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TEST_NAME = /^\w+$/;

function isObject(value: unknown): value is Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function onlyKeys(value: Obj, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

const absentOr = (value: unknown, check: (v: unknown) => boolean): boolean => value === undefined || check(value);
const isString = (v: unknown): boolean => typeof v === 'string';
const isName = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const isIdentifier = (v: unknown): boolean => typeof v === 'string' && IDENTIFIER.test(v);
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const listOf = (v: unknown, check: (item: unknown) => boolean, min = 0): boolean => Array.isArray(v) && v.length >= min && v.every(check);

const HOURS = new Set(['count', 'period']);
const isHours = (v: unknown): boolean => isObject(v) && onlyKeys(v, HOURS) && typeof v.count === 'number' && Number.isFinite(v.count) && v.count > 0 && (v.period === 'minute' || v.period === 'hour' || v.period === 'day');
const FRESHNESS = new Set(['warn_after', 'error_after']);
const isFreshness = (v: unknown): boolean => v === null || (isObject(v) && onlyKeys(v, FRESHNESS) && absentOr(v.warn_after, isHours) && absentOr(v.error_after, isHours));
const isTestList = (v: unknown): boolean => listOf(v, (t) => typeof t === 'string' || isObject(t));

const SOURCE_COLUMN = new Set(['name', 'description']);
const isSourceColumn = (v: unknown): boolean => isObject(v) && onlyKeys(v, SOURCE_COLUMN) && isName(v.name) && absentOr(v.description, isString);
const SOURCE_TABLE = new Set(['name', 'identifier', 'description', 'loaded_at_field', 'freshness', 'columns']);
const isSourceTable = (v: unknown): boolean =>
  isObject(v) &&
  onlyKeys(v, SOURCE_TABLE) &&
  isName(v.name) &&
  absentOr(v.identifier, isIdentifier) &&
  absentOr(v.description, isString) &&
  absentOr(v.loaded_at_field, isString) &&
  absentOr(v.freshness, isFreshness) &&
  absentOr(v.columns, (c) => listOf(c, isSourceColumn));
const SOURCE = new Set(['name', 'schema', 'description', 'loaded_at_field', 'freshness', 'tables']);
const isSource = (v: unknown): boolean =>
  isObject(v) &&
  onlyKeys(v, SOURCE) &&
  isName(v.name) &&
  absentOr(v.schema, isIdentifier) &&
  absentOr(v.description, isString) &&
  absentOr(v.loaded_at_field, isString) &&
  absentOr(v.freshness, isFreshness) &&
  listOf(v.tables, isSourceTable, 1);
const COLUMN = new Set(['name', 'description', 'data_type', 'meta', 'tests', 'data_tests']);
const isColumn = (v: unknown): boolean =>
  isObject(v) &&
  onlyKeys(v, COLUMN) &&
  isName(v.name) &&
  absentOr(v.description, isString) &&
  absentOr(v.data_type, isString) &&
  absentOr(v.meta, isObject) &&
  absentOr(v.tests, isTestList) &&
  absentOr(v.data_tests, isTestList);
const MODEL = new Set(['name', 'description', 'meta', 'columns', 'tests', 'data_tests']);
const isModel = (v: unknown): boolean =>
  isObject(v) &&
  onlyKeys(v, MODEL) &&
  isName(v.name) &&
  absentOr(v.description, isString) &&
  absentOr(v.meta, isObject) &&
  absentOr(v.columns, (c) => listOf(c, isColumn)) &&
  absentOr(v.tests, isTestList) &&
  absentOr(v.data_tests, isTestList);
const FILE = new Set(['version', 'sources', 'models']);

/** Whether schemaFileSchema accepts `value` as it is (then its parse equals `value`). */
export function isPlainSchemaFile(value: unknown): value is SchemaFile {
  return isObject(value) && onlyKeys(value, FILE) && value.version === 2 && absentOr(value.sources, (s) => listOf(s, isSource)) && absentOr(value.models, (m) => listOf(m, isModel));
}

const PROJECT = new Set(['name', 'version', 'models']);
const FOLDER = new Set(['materialized']);
const MATERIALIZATIONS = new Set(['view', 'table', 'incremental', 'partitioned', 'ephemeral']);
const isFolderConfig = (v: unknown): boolean => isObject(v) && onlyKeys(v, FOLDER) && typeof v.materialized === 'string' && MATERIALIZATIONS.has(v.materialized);

/** Whether projectFileSchema accepts `value` as it is (then its parse equals `value`). */
export function isPlainProjectFile(value: unknown): value is ProjectFile {
  return (
    isObject(value) &&
    onlyKeys(value, PROJECT) &&
    absentOr(value.name, isString) &&
    absentOr(value.version, (v) => typeof v === 'string' || isNumber(v)) &&
    absentOr(value.models, (m) => isObject(m) && Object.values(m).every(isFolderConfig))
  );
}

const COMMON = ['severity', 'config', 'name', 'column_name'] as const;
const SPECIFIC: Readonly<Record<GenericTestKind, readonly string[]>> = {
  unique: [],
  not_null: [],
  accepted_values: ['values', 'quote'],
  relationships: ['to', 'field'],
  accepted_range: ['min_value', 'max_value', 'inclusive'],
};
const isSeverity = (v: unknown): boolean => v === 'warn' || v === 'error';
const CONFIG = new Set(['severity']);

/**
 * A generic test's arguments as its zod schema parses them (keys in the schema's order) when they
 * are plain (a severity already lower case, every argument of the right type); undefined otherwise.
 */
export function plainTestArgs(kind: GenericTestKind, args: Obj, relationCall: RegExp): Obj | undefined {
  if (!isObject(args)) return undefined;
  const specific = SPECIFIC[kind];
  for (const key in args) if (!(COMMON as readonly string[]).includes(key) && !specific.includes(key)) return undefined;
  const ok =
    absentOr(args.severity, isSeverity) &&
    absentOr(args.config, (c) => isObject(c) && onlyKeys(c, CONFIG) && absentOr(c.severity, isSeverity)) &&
    absentOr(args.name, (n) => typeof n === 'string' && TEST_NAME.test(n)) &&
    absentOr(args.column_name, isName) &&
    specificOk(kind, args, relationCall);
  if (!ok) return undefined;
  const out: Obj = {};
  for (const key of [...COMMON, ...specific]) if (key in args) out[key] = key === 'config' ? { ...(args.config as Obj) } : args[key];
  return out;
}

function specificOk(kind: GenericTestKind, a: Obj, relationCall: RegExp): boolean {
  switch (kind) {
    case 'unique':
    case 'not_null':
      return true;
    case 'accepted_values':
      return listOf(a.values, (v) => typeof v === 'string' || isNumber(v) || typeof v === 'boolean', 1) && absentOr(a.quote, isBoolean);
    case 'relationships':
      return typeof a.to === 'string' && relationCall.test(a.to) && isName(a.field);
    case 'accepted_range':
      return absentOr(a.min_value, isNumber) && absentOr(a.max_value, isNumber) && absentOr(a.inclusive, isBoolean) && (a.min_value !== undefined || a.max_value !== undefined);
  }
}
