import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * vitest's global setup: every test's temporary folders (os.tmpdir(), in the test workers and the
 * processes they start) go under one folder of this run, removed when the run ends. Tests leave
 * warehouses, lakes and clusters behind on failure or by design; without this, each `make test`
 * left a gigabyte or more in /tmp.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'gmp-tests-'));
  // Traversable: the Postgres clusters of tests/helpers run as the `postgres` user under root.
  chmodSync(root, 0o711);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
