import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { envSchema } from '../core/index.js';

// What scripts/check-manual.ts reads: the manual's tables and commands, .env.example, the Makefile,
// docker-compose.yml and the override files in deploy/compose, and the variables the code reads.
const CONFIG_HEADING = /^##\s+Configuration reference\s*$/;
// The CDK app (infra/bin, infra/src) counts too: the manual documents its GMP_INFRA_CONFIG; and
// the test helpers, whose GMP_UPDATE_GOLDEN the recipes use.
const SHIPPED_FOLDERS = ['core', 'ingestion', 'lake', 'warehouse', 'transform', 'orchestration', 'cli', 'bin', 'infra/bin', 'infra/src'];
const TEST_HELPER_FOLDERS = ['tests/helpers'];

export interface ManualInputs {
  manual: string;
  envExample: string;
  makefile: string;
  compose: string;
  /** Files Compose merges onto docker-compose.yml (`-f` or COMPOSE_FILE): deploy/compose/*.yml. */
  composeOverrides: readonly { file: string; text: string }[];
  /** The variables ENV_SCHEMA reads. */
  schemaVariables: readonly string[];
  /** Variables the shipped code reads from process.env outside the schema (debugging aids). */
  codeVariables: readonly string[];
  /** ALL_CAPS constants the sources export (`RAWG_ENDPOINTS`): names in the manual, not variables. */
  codeConstants: readonly string[];
}

/** Reads the manual and everything it is checked against from a checkout. Throws if a file is missing. */
export function readManualInputs(root: string): ManualInputs {
  const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
  return {
    manual: read('USER_MANUAL.md'),
    envExample: read('.env.example'),
    makefile: read('Makefile'),
    compose: read('docker-compose.yml'),
    composeOverrides: composeOverrideFiles(root).map((file) => ({ file, text: read(file) })),
    schemaVariables: Object.keys(envSchema().shape),
    codeVariables: processEnvReads(root),
    codeConstants: exportedConstants(root),
  };
}

const COMPOSE_OVERRIDES = 'deploy/compose';

function composeOverrideFiles(root: string): string[] {
  const dir = path.join(root, COMPOSE_OVERRIDES);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${COMPOSE_OVERRIDES}/${f}`);
}

export interface CommandMention {
  text: string;
  line: number;
  /** An inline code span: a mention, which may omit required arguments. */
  partial: boolean;
}

/** Info strings of fenced blocks that hold shell (a bare fence counts); ```sql, ```ts, … do not. */
const SHELL_FENCES = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh']);

/**
 * Shell lines of fenced code blocks (joined at trailing backslashes; blocks marked as another
 * language skipped) and command-like inline code.
 */
export function commandMentions(lines: readonly string[]): CommandMention[] {
  const mentions: CommandMention[] = [];
  let fence: string | undefined;
  let shell = false;
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const open = /^\s*(```|~~~)\s*([\w-]*)/.exec(raw);
    const marker = open?.[1];
    if (marker !== undefined && (fence === undefined || marker === fence)) {
      if (fence === undefined) shell = SHELL_FENCES.has(open![2]!.toLowerCase());
      fence = fence === undefined ? marker : undefined;
      pending = undefined;
      return;
    }
    if (fence !== undefined) {
      if (!shell) return;
      const text = raw.replace(/^\s*\$\s+/, '');
      const joined = pending ? { text: `${pending.text} ${text}`, line: pending.line } : { text, line: i + 1 };
      if (/\\\s*$/.test(text)) {
        pending = { text: joined.text.replace(/\\\s*$/, ''), line: joined.line };
        return;
      }
      pending = undefined;
      mentions.push({ ...joined, partial: false });
      return;
    }
    for (const span of raw.matchAll(/`([^`]+)`/g)) {
      const text = span[1]!;
      if (/^(gmp|make|docker compose|node bin\/gmp\.js)(\s|$)/.test(text)) mentions.push({ text, line: i + 1, partial: true });
    }
  });
  return mentions;
}

/** The variables of the first table under "## Configuration reference", with their lines. */
export function configTableVariables(lines: readonly string[]): Map<string, number> | undefined {
  const heading = lines.findIndex((l) => CONFIG_HEADING.test(l));
  if (heading < 0) return undefined;
  const names = new Map<string, number>();
  let row = 0;
  for (let i = heading + 1; i < lines.length && !/^##\s/.test(lines[i]!); i++) {
    const line = lines[i]!;
    if (!line.startsWith('|')) {
      if (row > 0) break;
      continue;
    }
    // Row 0 is the header, row 1 the |---| separator.
    if (row++ < 2) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.set(m[1]!, i + 1);
  }
  return names;
}

/** `NAME=` lines of .env.example, commented out or not. */
export function envExampleVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/^[ \t]*(?:#[ \t]*)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

/** Target names of a Makefile (not special targets like .PHONY, not pattern or variable targets). */
export function makeTargets(makefile: string): Set<string> {
  const targets = new Set<string>();
  for (const m of makefile.matchAll(/^([^\s:#=$.][^:#=]*?)\s*::?(?!=)/gm)) {
    for (const name of m[1]!.split(/\s+/)) if (!name.includes('%')) targets.add(name);
  }
  return targets;
}

export interface ComposeFacts {
  services: Set<string>;
  /** Services built from this repository (their entrypoint is gmp). */
  projectServices: Set<string>;
  /** The variables Compose interpolates from the shell or `.env`: `$NAME`, `${NAME}`, `${NAME:-default}`, … */
  interpolated: Set<string>;
  /** The interpolated variables and the environment of third-party images. */
  variables: Set<string>;
}

/** Services, project-image services and compose-defined variables of a docker-compose.yml. */
export function readCompose(text: string): ComposeFacts {
  const doc = (parseYaml(text) ?? {}) as { services?: Record<string, { build?: unknown; environment?: unknown }> };
  const services = Object.entries(doc.services ?? {});
  const interpolated = interpolatedVariables(doc);
  const variables = new Set(interpolated);
  for (const [, service] of services) {
    if (service.build !== undefined) continue;
    const env = service.environment;
    const keys = Array.isArray(env) ? env.map((e) => String(e).split('=')[0]!) : Object.keys((env ?? {}) as object);
    for (const key of keys) variables.add(key);
  }
  return {
    services: new Set(services.map(([name]) => name)),
    projectServices: new Set(services.filter(([, s]) => s.build !== undefined).map(([name]) => name)),
    interpolated,
    variables,
  };
}

/**
 * The names Compose interpolates in a parsed compose file: in every string value (comments are not
 * values), `$$` being a literal `$`; a default may name another variable (`${A:-${B}}`).
 */
export function interpolatedVariables(doc: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const m of node.replace(/\$\$/g, '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      Object.values(node).forEach(visit);
    }
  };
  visit(doc);
  return names;
}

/** ALL_CAPS names the shipped sources export as constants (`export const RAWG_ENDPOINTS`). */
export function exportedConstants(root: string): string[] {
  return scanSources(root, SHIPPED_FOLDERS, /export\s+const\s+([A-Z][A-Z0-9_]*)\b/g);
}

/** Names read as `process.env.NAME` or `process.env['NAME']` by the shipped sources, the CDK app and the test helpers (not tests). */
export function processEnvReads(root: string): string[] {
  return scanSources(root, [...SHIPPED_FOLDERS, ...TEST_HELPER_FOLDERS], /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g);
}

/** The first capture group that matched, of every match of `pattern` in the folders' sources, sorted. */
function scanSources(root: string, folders: readonly string[], pattern: RegExp): string[] {
  const names = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|js)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        for (const m of readFileSync(full, 'utf8').matchAll(pattern)) names.add(m.slice(1).find((g) => g !== undefined)!);
      }
    }
  };
  for (const folder of folders) if (existsSync(path.join(root, folder))) visit(path.join(root, folder));
  return [...names].sort();
}
