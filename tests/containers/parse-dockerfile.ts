/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  /** Upper-cased: FROM, RUN, COPY, … */
  keyword: string;
  /** 1-based line where the instruction starts. */
  line: number;
  /** The arguments after the keyword and its `--flag=value` options. */
  text: string;
  flags: Record<string, string>;
  /** Exec form (`["a", "b"]`), when the arguments are a JSON array. */
  exec?: string[];
}

export interface Stage {
  /** The `AS` name, when there is one. */
  name?: string;
  /** The base image with global ARG defaults substituted (or the name of an earlier stage). */
  image: string;
  line: number;
  /** The instructions after FROM, up to the next FROM. */
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Defaults of the ARGs declared before the first FROM. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

const FLAGGED = new Set(['FROM', 'COPY', 'ADD', 'RUN']);

/**
 * Parses a Dockerfile the way the builder reads it: comment lines (parser directives included)
 * are dropped, also inside a continuation; a trailing backslash continues the instruction; exec
 * form is JSON. Throws on an instruction before the first FROM other than ARG.
 */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line)) return;
    if (pending === undefined && line.trim() === '') return;
    const joined = pending ? `${pending.text} ${line.trim()}` : line.trim();
    const start = pending?.line ?? i + 1;
    if (line.endsWith('\\')) {
      pending = { text: joined.slice(0, -1).trimEnd(), line: start };
      return;
    }
    pending = undefined;
    instructions.push(toInstruction(joined, start));
  });
  if (pending !== undefined) instructions.push(toInstruction(pending.text, pending.line));

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.text);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.text}`);
      const image = m[1]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => globalArgs[(a ?? b)!] ?? '');
      stages.push({ ...(m[2] ? { name: m[2] } : {}), image, line: ins.line, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [name, value = ''] = ins.text.split('=', 2);
      globalArgs[name!.trim()] = value.trim().replace(/^"(.*)"$/, '$1');
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

function toInstruction(text: string, line: number): Instruction {
  const m = /^(\S+)\s*(.*)$/.exec(text)!;
  const keyword = m[1]!.toUpperCase();
  let rest = m[2]!;
  const flags: Record<string, string> = {};
  if (FLAGGED.has(keyword)) {
    for (let f = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest); f; f = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest)) {
      flags[f[1]!] = f[2] ?? '';
      rest = rest.slice(f[0].length);
    }
  }
  const instruction: Instruction = { keyword, line, text: rest.trim(), flags };
  if (rest.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) instruction.exec = parsed;
    } catch {
      // Not JSON: shell form that happens to start with a bracket.
    }
  }
  return instruction;
}

/** The sources and destination of a COPY/ADD (exec or shell form). */
export function copyPaths(ins: Instruction): { sources: string[]; dest: string } {
  const parts = ins.exec ?? ins.text.split(/\s+/);
  if (parts.length < 2) throw new Error(`line ${ins.line}: ${ins.keyword} needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

/** ENV key=value pairs (both `ENV A=1 B=2` and the legacy `ENV A 1`). */
export function envPairs(ins: Instruction): Record<string, string> {
  if (!ins.text.includes('=')) {
    const [key, ...value] = ins.text.split(/\s+/);
    return { [key!]: value.join(' ') };
  }
  const pairs: Record<string, string> = {};
  for (const m of ins.text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) pairs[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  return pairs;
}
