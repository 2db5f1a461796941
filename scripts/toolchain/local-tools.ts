import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../../config/paths';
import { VERSIONS } from '../../config/versions';

/**
 * Everything the project installs for its tests and local runs lives under `.local/` in the clone (git ignores it),
 * caches included, so a clean clone installs from the registries and a second run reuses what the first installed.
 * `DATAPLANE_LOCAL_DIR` puts it elsewhere (a scratch toolchain).
 */
export const LOCAL_DIR = process.env.DATAPLANE_LOCAL_DIR ?? path.join(PACKAGE_ROOT, '.local');
const VENV_DIR = path.join(LOCAL_DIR, 'venv');
const GO_DIR = path.join(LOCAL_DIR, 'go');
const BIN_DIR = path.join(LOCAL_DIR, 'bin');

/** A tool could not be installed: one line naming it, what was expected and how to fix it. */
export class ToolInstallError extends Error {
  constructor(tool: string, problem: string, fix: string) {
    super(`${tool}: ${problem}; ${fix}`);
    this.name = 'ToolInstallError';
  }
}

/** The venv's interpreter. */
export function pythonBin(): string {
  return path.join(VENV_DIR, 'bin', 'python');
}

/** pip extras of some pins: moto serves S3 and STS as a server only with its `server` extra. */
const PYTHON_EXTRAS: Partial<Record<keyof typeof VERSIONS.python, string>> = { moto: 'server' };

/** `name[extras]==version` for every pin of `VERSIONS.python`. */
export function pythonRequirements(): string[] {
  return Object.entries(VERSIONS.python).map(([name, version]) => {
    const extras = PYTHON_EXTRAS[name as keyof typeof VERSIONS.python];
    return `${name}${extras ? `[${extras}]` : ''}==${version}`;
  });
}

/** Creates `.local/venv` with exactly the pinned packages; a no-op when the pins have not changed since the last run. */
export function ensurePythonEnv(log: (line: string) => void = () => {}): string {
  const requirements = pythonRequirements();
  const stamp = path.join(VENV_DIR, '.dataplane-pins');
  const wanted = requirements.join('\n');
  if (fs.existsSync(pythonBin()) && readIfExists(stamp) === wanted) return pythonBin();
  const python = process.env.DATAPLANE_PYTHON ?? 'python3';
  if (!fs.existsSync(pythonBin())) {
    log(`creating ${path.relative(PACKAGE_ROOT, VENV_DIR)} with ${python}`);
    run('python', python, ['-m', 'venv', VENV_DIR], 'install Python 3.11+ with venv (Debian: python3-venv)');
  }
  log(`installing ${requirements.length} pinned Python packages`);
  run(
    'pip',
    pythonBin(),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', ...requirements],
    'check that PyPI is reachable and the pins in config/versions.ts exist',
    { PIP_CACHE_DIR: path.join(LOCAL_DIR, 'pip-cache') },
  );
  fs.writeFileSync(stamp, wanted);
  return pythonBin();
}

/** Path of a Go tool pinned in `VERSIONS.goTools` when `npm run tools` (or {@link ensureGoTool}) built that pin; else undefined. */
export function installedGoTool(name: keyof typeof VERSIONS.goTools): string | undefined {
  const pin: { module: string; version: string } = VERSIONS.goTools[name];
  const binary = path.join(BIN_DIR, path.basename(pin.module));
  return fs.existsSync(binary) && readIfExists(`${binary}.version`) === `${pin.module}@${pin.version}`
    ? binary
    : undefined;
}

/** Path of a Go tool pinned in `VERSIONS.goTools`, built with `go install` on first use. */
export function ensureGoTool(name: keyof typeof VERSIONS.goTools, log: (line: string) => void = () => {}): string {
  const pin: { module: string; version: string } = VERSIONS.goTools[name];
  const binary = path.join(BIN_DIR, path.basename(pin.module));
  const stamp = `${binary}.version`;
  if (installedGoTool(name) !== undefined) return binary;
  log(`building ${pin.module}@${pin.version}`);
  fs.mkdirSync(BIN_DIR, { recursive: true });
  run('go', 'go', ['install', `${pin.module}@${pin.version}`], 'install Go (>= the version the module needs)', {
    GOBIN: BIN_DIR,
    GOPATH: GO_DIR,
    GOMODCACHE: path.join(GO_DIR, 'pkg', 'mod'),
    GOCACHE: path.join(GO_DIR, 'cache'),
    GOFLAGS: '-mod=mod',
  });
  fs.writeFileSync(stamp, `${pin.module}@${pin.version}`);
  return binary;
}

function run(tool: string, command: string, args: string[], fix: string, env: Record<string, string> = {}): void {
  const result = spawnSync(command, args, {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new ToolInstallError(tool, `${command} could not be started (${result.error.message})`, fix);
  if (result.status !== 0) {
    const last = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-3).join(' | ');
    throw new ToolInstallError(tool, `\`${command} ${args.join(' ')}\` exited ${result.status}: ${last}`, fix);
  }
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}
