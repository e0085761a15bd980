const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The fields of a JSON record to parse: a leaf (kept as text), an object, or a list of objects. */
export type RecordShape = { kind: 'text' } | { kind: 'object'; fields: Map<string, RecordShape> } | { kind: 'list'; of: RecordShape };

/**
 * `'id, slug, esrb_rating.slug, genres[].id, genres[].name'` → the shape `json_record` parses:
 * dotted paths of names, `[]` after a name marking a list of objects. Names and paths are
 * separated by commas or white space. Throws on anything else, or on a name read both as a
 * value and as an object.
 */
export function parseRecordFields(spec: string): RecordShape {
  const root: RecordShape = { kind: 'object', fields: new Map() };
  const paths = spec.split(/[\s,]+/).filter((p) => p !== '');
  if (paths.length === 0) throw new Error('json_record needs the fields to read, e.g. json_record(value, "id, name, genres[].id")');
  for (const path of paths) {
    let node: RecordShape = root;
    const segments = path.split('.');
    segments.forEach((segment, i) => {
      const list = segment.endsWith('[]');
      const name = list ? segment.slice(0, -2) : segment;
      if (!SEGMENT.test(name)) throw new Error(`invalid field path "${path}" in json_record (names, dots and [] after a list)`);
      const last = i === segments.length - 1;
      if (list && last) throw new Error(`field path "${path}" ends at a list: name the fields of its elements ("${path}.id")`);
      const fields = node.kind === 'object' ? node.fields : undefined;
      if (!fields) throw new Error(`field path "${path}" reads into a value json_record keeps as text`);
      const wanted: RecordShape['kind'] = last ? 'text' : list ? 'list' : 'object';
      let child = fields.get(name);
      if (child === undefined) {
        child = last ? { kind: 'text' } : list ? { kind: 'list', of: { kind: 'object', fields: new Map() } } : { kind: 'object', fields: new Map() };
        fields.set(name, child);
      } else if (child.kind !== wanted) {
        throw new Error(`field "${segments.slice(0, i + 1).join('.')}" is read both as ${describe(child.kind)} and as ${describe(wanted)} in json_record`);
      }
      node = child.kind === 'list' ? child.of : child;
    });
  }
  return root;
}

function describe(kind: RecordShape['kind']): string {
  return kind === 'text' ? 'a value' : kind === 'list' ? 'a list' : 'an object';
}

/** Checks a record field path (`platform.id`): dotted names only. */
export function recordPath(path: string): string[] {
  const segments = path.split('.');
  if (segments.some((s) => !SEGMENT.test(s))) throw new Error(`invalid record field path "${path}"`);
  return segments;
}

type Macro = (...args: string[]) => string;

/**
 * The json_record macros of an engine whose documents are parsed when the lake is loaded (Postgres
 * jsonb, Snowflake VARIANT): a record is the document itself and its fields are read as its JSON
 * paths, parsing nothing again. The field list is still checked, so a model fails alike on every
 * engine. `flatten(list, alias)` yields one row per element of a list as `alias.value`.
 */
export function parsedDocumentRecords(json: Readonly<Record<'json_text' | 'json_int' | 'json_float' | 'json_bool' | 'json_date' | 'json_timestamp' | 'json_get', Macro>>, flatten: Macro): Record<string, Macro> {
  return {
    json_record: (expr: string, fields: string) => {
      parseRecordFields(fields);
      return expr;
    },
    record_text: json.json_text,
    record_int: json.json_int,
    record_float: json.json_float,
    record_bool: json.json_bool,
    record_date: json.json_date,
    record_timestamp: json.json_timestamp,
    record_list: json.json_get,
    record_flatten: flatten,
  };
}
