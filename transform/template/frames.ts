/** What a template reads its free names from: objects, the first holding a name wins (not modified). */
export type Globals = readonly Readonly<Record<string, unknown>>[];

/**
 * What a template's top-level assignments write to and its unresolved names read from (nunjucks'
 * context): the globals, overlaid by top-level `set`s and macros. Every name read from the globals
 * is added to `names`.
 */
export class Scope {
  // Assigned names and their values, as two lists: a template assigns a few at most.
  private keys: string[] | undefined;
  private values: unknown[] | undefined;
  /** Top-level names a macro library exports (those not starting with `_`), when it is one. */
  readonly exports: string[] | undefined;

  constructor(
    private readonly globals: Globals,
    private readonly names: Set<string>,
    exporting: boolean,
  ) {
    this.exports = exporting ? [] : undefined;
  }

  lookup(name: string): unknown {
    if (this.keys !== undefined) {
      const i = this.keys.indexOf(name);
      if (i !== -1) return (this.values as unknown[])[i];
    }
    this.names.add(name);
    for (const layer of this.globals) if (Object.hasOwn(layer, name)) return layer[name];
    return undefined;
  }

  assign(name: string, value: unknown): void {
    if (this.keys === undefined) {
      this.keys = [name];
      this.values = [value];
    } else {
      const i = this.keys.indexOf(name);
      if (i === -1) {
        this.keys.push(name);
        (this.values as unknown[]).push(value);
      } else {
        (this.values as unknown[])[i] = value;
      }
    }
    if (this.exports !== undefined && !name.startsWith('_') && !this.exports.includes(name)) this.exports.push(name);
  }

  exported(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.exports ?? []) out[name] = this.values?.[(this.keys as string[]).indexOf(name)];
    return out;
  }
}

/** Variables of a template's top level, of a loop, or of a macro call (which sees no frame around it). */
export class Frame {
  // Names and values, as two lists: a frame holds a few.
  keys: string[] | undefined = undefined;
  values: unknown[] | undefined = undefined;
  /** Whether `keys` is a macro's parameter list, shared by its calls (copied before a name is added). */
  sharedKeys = false;

  constructor(
    readonly parent: Frame | undefined,
    readonly scope: Scope,
    readonly topLevel: boolean,
  ) {}

  /** Index of `name` here, or -1. */
  find(name: string): number {
    return this.keys === undefined ? -1 : this.keys.indexOf(name);
  }

  set(name: string, value: unknown): void {
    if (this.keys === undefined) {
      this.keys = [name];
      this.values = [value];
      return;
    }
    const i = this.keys.indexOf(name);
    if (i === -1) {
      if (this.sharedKeys) {
        this.keys = this.keys.slice();
        this.sharedKeys = false;
      }
      this.keys.push(name);
      (this.values as unknown[]).push(value);
    } else {
      (this.values as unknown[])[i] = value;
    }
  }
}

// `set` updates the innermost frame that has the name (up to the macro call), else defines it in
// the current frame; at the top level it also writes the scope, which is what macros read.
export function assign(f: Frame, name: string, value: unknown): void {
  let found = false;
  for (let g: Frame | undefined = f; g !== undefined; g = g.parent) {
    const i = g.find(name);
    if (i !== -1) {
      (g.values as unknown[])[i] = value;
      found = true;
      break;
    }
  }
  if (!found) f.set(name, value);
  if (f.topLevel) f.scope.assign(name, value);
}

export function lookupFrames(f: Frame, name: string): unknown {
  for (let g: Frame | undefined = f; g !== undefined; g = g.parent) {
    const i = g.find(name);
    if (i !== -1) return (g.values as unknown[])[i];
  }
  return undefined;
}

// A name that no enclosing loop or macro declares is read from the frames, and from the scope when
// the frames give undefined.
export function lookup(f: Frame, name: string): unknown {
  const value = lookupFrames(f, name);
  return value !== undefined ? value : f.scope.lookup(name);
}

