/** Thrown where a YAML text leaves the subset parseSimpleYaml mirrors exactly: the `yaml` package reads it instead. */
export class YamlSubsetError extends Error {
  constructor(what: string, line: number) {
    super(`line ${line}: not in the simple YAML subset: ${what}`);
    this.name = 'YamlSubsetError';
  }
}

/** A parsed node: where it starts and, for collections, its children. */
interface YamlNode {
  line: number;
  children?: Map<string, YamlNode> | YamlNode[];
}

export interface SimpleYaml {
  value: unknown;
  /** As `yaml`'s `doc.getIn(path, true)` range start: the 1-based line of the node at `path`, or undefined. */
  nodeLine(path: readonly PropertyKey[]): number | undefined;
}

interface Line {
  /** 1-based line number. */
  no: number;
  indent: number;
  /** The text after the indentation, trailing spaces removed (comments not). */
  text: string;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)/;
// YAML 1.2 core schema (what `yaml` resolves plain scalars with by default).
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const OTHER_NUMBER = /^(?:0o|0x|[-+]?\.(?:inf|Inf|INF)$|\.nan$|\.NaN$|\.NAN$)/;
const PLAIN_START = /^[^-?:,[\]{}#&*!|>'"%@`\s]|^-[0-9]/;

/**
 * Parses the plain YAML dbt-style property files are written in — block mappings and sequences,
 * one-line flow mappings and sequences, plain and quoted scalars, `>`/`|` block scalars of even
 * indentation — into what `yaml`'s `parseDocument(...).toJS()` gives, with node lines. Throws
 * YamlSubsetError for anything else (anchors, tags, multi-line scalars, empty values, duplicate
 * keys, syntax errors): `yaml` then reads the file and reports its problems.
 */
export function parseSimpleYaml(text: string): SimpleYaml {
  if (/[\t\r\ufeff]/.test(text)) throw new YamlSubsetError('tab, carriage return or byte-order mark', 1);
  const raw = text.split('\n');
  const lines: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    const full = raw[i]!.trimEnd();
    const indent = full.length - full.trimStart().length;
    const body = full.slice(indent);
    if (body === '' || body.startsWith('#')) continue;
    if (indent === 0 && /^(?:---|\.\.\.|%)/.test(body)) throw new YamlSubsetError('document markers or directives', i + 1);
    lines.push({ no: i + 1, indent, text: body });
  }
  if (lines.length === 0) return { value: null, nodeLine: () => undefined };
  const parser = new SubsetParser(lines, raw);
  const root = parser.block(lines[0]!.indent);
  if (parser.pos < lines.length) throw new YamlSubsetError('unexpected indentation', lines[parser.pos]!.no);
  return {
    value: root.value,
    nodeLine(path) {
      let node: YamlNode | undefined = root.node;
      let line = node.line;
      for (const key of path) {
        const children: YamlNode['children'] = node?.children;
        if (children instanceof Map) node = typeof key === 'string' ? children.get(key) : undefined;
        else if (Array.isArray(children)) node = children[itemIndex(key)];
        else node = undefined;
        if (node === undefined) break;
        line = node.line;
      }
      return line;
    },
  };
}

// As `yaml`'s asItemIndex: a non-negative integer, also as a numeric string.
function itemIndex(key: PropertyKey): number {
  const n = typeof key === 'string' && key !== '' ? Number(key) : key;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : -1;
}

interface Parsed {
  value: unknown;
  node: YamlNode;
}

class SubsetParser {
  pos = 0;

  constructor(
    private readonly lines: Line[],
    private readonly raw: readonly string[],
  ) {}

  /** The block (mapping or sequence) whose first line is the current one, at `indent`. */
  block(indent: number): Parsed {
    const line = this.lines[this.pos]!;
    if (line.indent !== indent) throw new YamlSubsetError('unexpected indentation', line.no);
    if (isItem(line.text)) return this.sequence(indent);
    if (KEY.test(line.text)) return this.mapping(indent);
    throw new YamlSubsetError('a scalar where a block was expected', line.no);
  }

  private mapping(indent: number): Parsed {
    const value: Record<string, unknown> = {};
    const children = new Map<string, YamlNode>();
    const start = this.lines[this.pos]!.no;
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      if (line.indent < indent || (line.indent === indent && isItem(line.text))) break;
      if (line.indent > indent) throw new YamlSubsetError('unexpected indentation', line.no);
      const m = KEY.exec(line.text);
      if (!m) throw new YamlSubsetError('not a `key: value` line', line.no);
      const key = m[1]!;
      if (children.has(key) || key === '__proto__') throw new YamlSubsetError(`key ${key} twice (or reserved)`, line.no);
      const rest = line.text.slice(m[0].length);
      const entry = this.value(rest, line, indent);
      value[key] = entry.value;
      children.set(key, entry.node);
    }
    return { value, node: { line: start, children } };
  }

  private sequence(indent: number): Parsed {
    const value: unknown[] = [];
    const children: YamlNode[] = [];
    const start = this.lines[this.pos]!.no;
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      // A key at the sequence's own indentation ends it (a sequence sitting under its key).
      if (line.indent < indent || (line.indent === indent && !isItem(line.text))) break;
      if (line.indent > indent) throw new YamlSubsetError('unexpected line in a sequence', line.no);
      const rest = line.text.slice(1).trimStart();
      let entry: Parsed;
      if (rest === '') throw new YamlSubsetError('an item on the next line', line.no);
      if (isItem(rest)) throw new YamlSubsetError('a nested sequence on one line', line.no);
      if (KEY.test(rest)) {
        // `- key: value` starts a mapping whose keys line up with this first key.
        const column = line.indent + (line.text.length - rest.length);
        this.lines[this.pos] = { no: line.no, indent: column, text: rest };
        entry = this.mapping(column);
      } else {
        entry = this.value(rest, line, indent);
      }
      value.push(entry.value);
      children.push(entry.node);
    }
    return { value, node: { line: start, children } };
  }

  /** The value after `key:` or `- ` on `line` (a scalar, a flow collection, a block scalar or a nested block). */
  private value(rest: string, line: Line, indent: number): Parsed {
    this.pos++;
    const next = this.lines[this.pos];
    if (rest === '' || rest.startsWith('#')) {
      if (next && next.indent > indent) return this.block(next.indent);
      // A sequence may sit at its key's own indentation.
      if (next && next.indent === indent && isItem(next.text) && !isItem(line.text)) return this.block(indent);
      throw new YamlSubsetError('an empty value', line.no);
    }
    if (/^[|>]/.test(rest)) return { value: this.blockScalar(rest, line, indent), node: { line: line.no } };
    // A more-indented line after a scalar would continue it (a multi-line scalar).
    if (next && next.indent > indent) throw new YamlSubsetError('a multi-line scalar', next.no);
    return { value: inlineValue(rest, line.no), node: { line: line.no } };
  }

  // `>`/`>-`/`|`/`|-` whose lines all share one indentation, with no blank or trailing-space lines inside.
  private blockScalar(header: string, line: Line, indent: number): string {
    const m = /^([|>])(-?)(?:\s+#.*)?$/.exec(header);
    if (!m) throw new YamlSubsetError('a block scalar header', line.no);
    const parts: string[] = [];
    let blockIndent = -1;
    let i = line.no; // the raw line after the header (raw is 0-based)
    for (; i < this.raw.length; i++) {
      const full = this.raw[i]!;
      const body = full.trimStart();
      const lineIndent = full.length - body.length;
      if (body === '') {
        if (full !== '') throw new YamlSubsetError('a whitespace-only line in a block scalar', i + 1);
        break;
      }
      if (lineIndent <= indent) break;
      if (blockIndent < 0) blockIndent = lineIndent;
      if (lineIndent !== blockIndent || body !== body.trimEnd()) throw new YamlSubsetError('uneven block scalar lines', i + 1);
      parts.push(body);
    }
    if (parts.length === 0) throw new YamlSubsetError('an empty block scalar', line.no);
    // Clipping keeps the last line break only if the text has one.
    if (i === this.raw.length) throw new YamlSubsetError('a block scalar at the end of the text', line.no);
    // What follows (after blank lines) must be back at or above the key's indentation.
    let j = i;
    while (j < this.raw.length && this.raw[j] === '') j++;
    if (j < this.raw.length) {
      const after = this.raw[j]!;
      if (after.length - after.trimStart().length > indent && j > i) throw new YamlSubsetError('a blank line inside a block scalar', i + 1);
    }
    // Skip the consumed lines in the filtered list.
    while (this.pos < this.lines.length && this.lines[this.pos]!.no <= i) this.pos++;
    const joined = parts.join(m[1] === '>' ? ' ' : '\n');
    return m[2] === '-' ? joined : `${joined}\n`;
  }
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** A scalar or one-line flow collection, then nothing but an optional comment. */
function inlineValue(text: string, line: number): unknown {
  const c = text[0]!;
  if (c === '"' || c === "'") {
    const { value, end } = quoted(text, 0, line);
    expectEnd(text, end, line);
    return value;
  }
  if (c === '{' || c === '[') {
    const { value, end } = flow(text, line);
    expectEnd(text, end, line);
    return value;
  }
  const comment = text.search(/\s#/);
  const plain = (comment < 0 ? text : text.slice(0, comment)).trimEnd();
  if (plain.includes(': ') || plain.endsWith(':')) throw new YamlSubsetError('a mapping in a scalar', line);
  return plainScalar(plain, line);
}

function expectEnd(text: string, end: number, line: number): void {
  const rest = text.slice(end);
  if (rest !== '' && !/^\s+#/.test(rest)) throw new YamlSubsetError('text after a value', line);
}

function plainScalar(s: string, line: number): unknown {
  if (!PLAIN_START.test(s)) throw new YamlSubsetError(`a scalar starting with ${s[0]}`, line);
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT.test(s)) return parseInt(s, 10);
  if (FLOAT.test(s)) return parseFloat(s);
  if (OTHER_NUMBER.test(s)) throw new YamlSubsetError('an octal, hexadecimal or special number', line);
  return s;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r' };

function quoted(text: string, start: number, line: number): { value: string; end: number } {
  const q = text[start];
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (q === "'" && c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    if (q === '"' && c === '"') return { value: out, end: i + 1 };
    if (q === '"' && c === '\\') {
      const e = ESCAPES[text[i + 1] ?? ''];
      if (e === undefined) throw new YamlSubsetError('an escape sequence', line);
      out += e;
      i++;
      continue;
    }
    out += c;
  }
  throw new YamlSubsetError('a multi-line quoted scalar', line);
}

/** `{k: v, …}` or `[v, …]` on one line, nested or not; its nodes all start on that line. */
function flow(text: string, line: number, start = 0): { value: unknown; end: number } {
  const isMap = text[start] === '{';
  const close = isMap ? '}' : ']';
  const map: Record<string, unknown> = {};
  const list: unknown[] = [];
  let i = start + 1;
  const skipSpaces = (): void => {
    while (text[i] === ' ') i++;
  };
  skipSpaces();
  if (text[i] === close) return { value: isMap ? map : list, end: i + 1 };
  for (;;) {
    skipSpaces();
    if (isMap) {
      const m = /^([A-Za-z_][A-Za-z0-9_-]*): +/.exec(text.slice(i));
      if (!m || m[1] === '__proto__' || Object.prototype.hasOwnProperty.call(map, m[1]!)) throw new YamlSubsetError('a flow mapping key', line);
      i += m[0].length;
      map[m[1]!] = flowValue();
    } else {
      list.push(flowValue());
    }
    skipSpaces();
    if (text[i] === ',') {
      i++;
      skipSpaces();
      if (text[i] === close) throw new YamlSubsetError('a trailing comma', line);
      continue;
    }
    if (text[i] === close) return { value: isMap ? map : list, end: i + 1 };
    throw new YamlSubsetError('a flow collection', line);
  }

  function flowValue(): unknown {
    const c = text[i];
    if (c === '"' || c === "'") {
      const { value, end } = quoted(text, i, line);
      i = end;
      return value;
    }
    if (c === '{' || c === '[') {
      const { value, end } = flow(text, line, i);
      i = end;
      return value;
    }
    const plain = /^[^,[\]{}#]*/.exec(text.slice(i))![0].trimEnd();
    if (plain === '' || plain.includes(': ') || plain.endsWith(':')) throw new YamlSubsetError('a flow scalar', line);
    i += plain.length;
    return plainScalar(plain, line);
  }
}
