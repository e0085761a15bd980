/** Where the read-only snapshot of a warehouse file is published: `x.duckdb` → `x.snapshot.duckdb`. */
export function snapshotPathFor(warehousePath: string): string {
  return warehousePath.endsWith('.duckdb') ? `${warehousePath.slice(0, -'.duckdb'.length)}.snapshot.duckdb` : `${warehousePath}.snapshot`;
}
