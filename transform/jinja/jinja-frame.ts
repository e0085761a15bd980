/**
 * nunjucks' run-time Frame (runtime.js), ported as is: the scope `{% set %}` writes and a name's
 * lookup reads before the context. Dotted names (`loop.index`) build nested objects.
 */
export class JinjaFrame {
  readonly variables: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  topLevel = false;

  constructor(
    readonly parent?: JinjaFrame,
    private readonly isolateWrites = false,
  ) {}

  set(name: string, value: unknown, resolveUp = false): void {
    const dot = name.indexOf('.');
    if (resolveUp) {
      const frame = this.resolve(dot < 0 ? name : name.slice(0, dot), true);
      if (frame) {
        frame.set(name, value);
        return;
      }
    }
    if (dot < 0) {
      this.variables[name] = value;
      return;
    }
    const parts = name.split('.');
    let obj = this.variables;
    for (let i = 0; i < parts.length - 1; i++) {
      const id = parts[i]!;
      if (!obj[id]) obj[id] = {};
      obj = obj[id] as Record<string, unknown>;
    }
    obj[parts[parts.length - 1]!] = value;
  }

  lookup(name: string): unknown {
    const value = this.variables[name];
    if (value !== undefined) return value;
    return this.parent?.lookup(name);
  }

  resolve(name: string, forWrite = false): JinjaFrame | undefined {
    const parent = forWrite && this.isolateWrites ? undefined : this.parent;
    if (this.variables[name] !== undefined) return this;
    return parent?.resolve(name);
  }

  push(isolateWrites = false): JinjaFrame {
    return new JinjaFrame(this, isolateWrites);
  }
}
