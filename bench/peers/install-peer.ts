import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The tools the peer benchmarks compare gmp with. */
export type PeerName = 'dbt' | 'dagster' | 'dataform';

/** An installed peer: its pinned version, its folder, and the executables to run. */
export interface InstalledPeer {
  name: PeerName;
  version: string;
  /** The cache folder (a symlink to the finished build). */
  dir: string;
  /** `dbt` and `python` (dbt), `python` (dagster), `dataform` and `core` (the @dataform/core folder a project copies). */
  bin: Readonly<Record<string, string>>;
}

export interface InstallPeerOptions {
  /** Where installs are kept; default `${XDG_CACHE_HOME:-~/.cache}/gmp-bench-peers`, outside any clone. */
  cacheDir?: string;
  /** Progress lines (what is installed, how long it took). */
  log?: (line: string) => void;
}

const PINS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pins');

interface Recipe {
  files: string[];
  version(pins: string): string;
  /** The interpreter the install is bound to (a venv only works with the Python it was made from). */
  interpreter(): Promise<string>;
  build(dir: string, log: (line: string) => void): Promise<void>;
  bin(dir: string): Record<string, string>;
}

const pythonRecipe = (name: 'dbt' | 'dagster', main: string, bins: (dir: string) => Record<string, string>): Recipe => ({
  files: [`${name}/requirements.txt`, `${name}/constraints.txt`],
  version: (pins) => new RegExp(`^${main}==(\\S+)`, 'm').exec(pins)?.[1] ?? 'unknown',
  interpreter: async () => {
    const { stdout } = await run(python(), ['-c', 'import os, sys; print(os.path.realpath(sys.executable), sys.version)']);
    return stdout.trim();
  },
  async build(dir) {
    await run(python(), ['-m', 'venv', dir]);
    const pins = (f: string): string => path.join(PINS, name, f);
    await run(path.join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', pins('requirements.txt'), '-c', pins('constraints.txt')], {
      maxBuffer: 64 << 20,
    });
  },
  bin: bins,
});

const RECIPES: Record<PeerName, Recipe> = {
  dbt: pythonRecipe('dbt', 'dbt-core', (dir) => ({ dbt: path.join(dir, 'bin', 'dbt'), python: path.join(dir, 'bin', 'python') })),
  dagster: pythonRecipe('dagster', 'dagster', (dir) => ({ python: path.join(dir, 'bin', 'python') })),
  dataform: {
    files: ['dataform/package.json', 'dataform/package-lock.json'],
    version: (pins) => /"@dataform\/cli": "([^"]+)"/.exec(pins)?.[1] ?? 'unknown',
    interpreter: async () => `node ${process.versions.node}`,
    async build(dir) {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(PINS, 'dataform', f), path.join(dir, f));
      // The lock pins every transitive version; no install scripts are needed to compile.
      await run(npm(), ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, maxBuffer: 64 << 20 });
    },
    bin: (dir) => ({ dataform: path.join(dir, 'node_modules', '.bin', 'dataform'), core: path.join(dir, 'node_modules', '@dataform', 'core') }),
  },
};

/**
 * Installs a peer at the versions pinned in bench/peers/pins/<name> (a constraints file or a
 * package lock pins every transitive dependency) into `<cacheDir>/<name>-<hash of the pins and the
 * interpreter>`, from PyPI (a venv) or npm, once per machine: it is built in a fresh folder and gets
 * its name (a symlink, renamed into place) only when complete, so a half-built install is never
 * used and clones share it. Never run by `make test`. Throws with the installer's last output
 * when the registry is unreachable or the install fails.
 */
export async function installPeer(name: PeerName, options: InstallPeerOptions = {}): Promise<InstalledPeer> {
  const recipe = RECIPES[name];
  const log = options.log ?? (() => undefined);
  const pins = recipe.files.map((f) => readFileSync(path.join(PINS, f), 'utf8')).join('\n');
  const interpreter = await recipe.interpreter();
  const hash = createHash('sha256').update(`${pins}\n${interpreter}`).digest('hex').slice(0, 16);
  const cacheDir = options.cacheDir ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'gmp-bench-peers');
  const dir = path.join(cacheDir, `${name}-${hash}`);
  const version = recipe.version(pins);
  const installed = (): InstalledPeer => ({ name, version, dir, bin: recipe.bin(dir) });
  if (Object.values(recipe.bin(dir)).every((b) => existsSync(b))) return installed();

  mkdirSync(cacheDir, { recursive: true });
  // A link to a broken build is replaced; concurrent installers each build, the last rename wins.
  const build = mkdtempSync(`${dir}.build-`);
  log(`installing ${name} ${version} (pinned in bench/peers/pins/${name}) into ${dir}: once per machine`);
  const started = performance.now();
  try {
    await recipe.build(build, log);
  } catch (error) {
    rmSync(build, { recursive: true, force: true });
    const e = error as { stderr?: string; message?: string };
    const detail = (e.stderr || e.message || String(error)).trim().split('\n').slice(-4).join(' | ');
    throw new Error(`cannot install ${name} ${version}: ${detail}`);
  }
  // The build keeps its folder (a venv's scripts name their path); the peer's name links to it.
  const link = `${dir}.new-${process.pid}`;
  symlinkSync(path.basename(build), link);
  if (existsSync(dir) && !lstatSync(dir).isSymbolicLink()) rmSync(dir, { recursive: true, force: true });
  renameSync(link, dir);
  if (!Object.values(recipe.bin(dir)).every((b) => existsSync(b))) throw new Error(`installed ${name} into ${realpathSync(dir)} but its executables are missing`);
  log(`installed ${name} ${version} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return installed();
}

function python(): string {
  return process.env.GMP_BENCH_PYTHON ?? 'python3';
}

function npm(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}
