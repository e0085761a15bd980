import { createRequire } from 'node:module';
import type yamlModule from 'yaml';
import { formatLocation } from '../format-location.js';
import { parseSimpleYaml, YamlSubsetError } from './parse-simple-yaml.js';

export interface YamlFile {
  value: unknown;
  /** The 1-based line of the node at `path` (or of its nearest present ancestor). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** Syntax problems as `file:line: message`. */
  problems: string[];
}

/**
 * Parses one YAML document keeping node positions, so validation problems can name a line. The
 * plain YAML property files are written in is read by parseSimpleYaml (the same values and lines,
 * ~50x faster); anything else by the `yaml` package, loaded then.
 */
export function readYaml(file: string, text: string): YamlFile {
  try {
    const simple = parseSimpleYaml(text);
    return { value: simple.value, lineOf: simple.nodeLine, problems: [] };
  } catch (error) {
    if (!(error instanceof YamlSubsetError)) throw error;
  }
  const { LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof yamlModule;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((e) => `${formatLocation(file, lineCounter.linePos(e.pos[0]).line)}: ${e.message.split('\n')[0]}`);
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value: problems.length > 0 ? null : doc.toJS(), lineOf, problems };
}
