// npm run bench: synthesis speed and memory on a generated large environment, against plain YAML serialization of the
// same objects, plus the synth CLI against `cdk8s synth` with a type-checking ts-node; `npm run validate` over the
// three environments against its 3 s target (exit 1 above it); the tier-1 offload writer on one hour of 1 M
// raw_trades-shaped rows against its targets (ADR-006); and the real-engine suite's wall time and peak memory
// (`--engines-cold` first empties the caches under .local/). Prints figures for README.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { parseDocument } from 'yaml';
import {
  EnvironmentConfig,
  environmentsDir,
  formatCpu,
  formatMemory,
  PACKAGE_ROOT,
  parseEnvironment,
  parseQuantity,
} from '../config';
import { renderEnvironment } from '../stacks/k8s';
import { parseCommand, runCli, UsageError } from './cli';
import { ensurePythonEnv, installedGoTool, LOCAL_DIR } from './toolchain/local-tools';

/** ADR-006's tier-1 targets for one hour of raw_trades (1 M rows): the run's time and the pod's memory. */
export const OFFLOAD_WRITER_TARGETS = { rows: 1_000_000, seconds: 60, peakRssMiB: 512 } as const;

/**
 * One hour of `rows` raw_trades-shaped rows offloaded by the writer (`jobs/tests/bench_offload.py`): ClickHouse's
 * engine (chdb) in its own process, a real pyiceberg catalog, the writer's own peak RSS.
 */
export function benchOffloadWriter(rows: number): {
  seconds: number;
  rows: number;
  written: number;
  peak_rss_mib: number;
} {
  const python = ensurePythonEnv();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-offload-'));
  const jobs = path.join(PACKAGE_ROOT, 'jobs');
  try {
    const step = (args: string[]) => {
      const result = spawnSync(python, ['-m', 'tests.bench_offload', ...args], { cwd: jobs, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`bench_offload ${args[0]} failed:\n${result.stderr}`);
      return result.stdout;
    };
    step(['prepare', path.join(dir, 'clickhouse'), String(rows)]);
    return JSON.parse(
      step(['run', path.join(dir, 'clickhouse')])
        .trim()
        .split('\n')
        .pop()!,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const COMMAND = {
  name: 'npm run bench',
  summary:
    'Speed and memory of synthesis on a generated large environment, the synth CLI, validate, the offload writer and the real-engine suite.',
  flags: {
    tenants: { type: 'string', default: '200', value: '<count>', description: 'tenants of the generated environment' },
    runs: { type: 'string', default: '5', value: '<count>', description: 'timed runs (the median is printed)' },
    'skip-cli': { type: 'boolean', description: 'skip the command-line timings' },
    'skip-offload': { type: 'boolean', description: 'skip the offload writer benchmark' },
    'skip-engines': { type: 'boolean', description: 'skip the real-engine suite' },
    'engines-cold': { type: 'boolean', description: 'empty the .local/ caches first, as on a fresh clone' },
  },
} as const;

/**
 * `dev` grown to `tenants` tenants, each with the workload of dev's first tenant (its data set with the
 * maintenance schedule, its offload runs and its catalog access), and Spark capacity grown to hold every budget.
 * It goes through the same schema and cross-checks as a real environment file.
 */
export function largeEnvironment(tenants: number): EnvironmentConfig {
  const input = parseDocument(fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8')).toJS();
  const [template] = input.tenants;
  const dataset = input.datasets.find((d: { tenant: string }) => d.tenant === template.name);
  const runs = input.offload.runs.filter((r: { tenant: string }) => r.tenant === template.name);
  const names = Array.from({ length: tenants }, (_, i) => `tenant-${String(i + 1).padStart(3, '0')}`);
  const namespace = (tenant: string) => tenant.replace(/-/g, '_');
  input.tenants = names.map((name) => ({ ...template, name }));
  input.datasets = names.map((name) => ({ ...dataset, name, tenant: name, namespace: namespace(name) }));
  input.offload.runs = names.flatMap((name) =>
    runs.map((run: { tables: { target: object }[] }) => ({
      ...run,
      tenant: name,
      tables: run.tables.map((table) => ({
        ...table,
        database: namespace(name),
        target: { ...table.target, namespace: namespace(name) },
      })),
    })),
  );
  input.services.polaris.catalogAccess = Object.fromEntries(names.map((name) => [name, { write: [namespace(name)] }]));
  input.capacity.spark = {
    maxCpu: formatCpu(parseQuantity(template.budget.cpu) * tenants),
    maxMemory: formatMemory(parseQuantity(template.budget.memory) * tenants),
  };
  return parseEnvironment(JSON.stringify(input), `dev.yaml grown to ${tenants} tenants`, 'dev');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function wallMs(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Summed RSS (KiB) of `root` and all its descendants, from `ps`. */
function treeRssKiB(root: number): number {
  const rows = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kib]) => [pid, kib]));
  let total = 0;
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.pop()!;
    total += rss.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The real-engine suite (jest project `engines`, plane start and stop included): wall time and peak tree RSS. */
async function measureEngines(cold: boolean): Promise<{ wallS: number; peakMiB: number }> {
  if (cold) {
    // Empty caches: the venv, pip's cache, the Maven repository and the jars, as on a fresh clone.
    for (const dir of ['venv', 'pip-cache', 'm2', 'jars', 'plane'])
      fs.rmSync(path.join(LOCAL_DIR, dir), { recursive: true, force: true });
  }
  const start = process.hrtime.bigint();
  const jest = spawn(
    process.execPath,
    // As `npm test` runs it: one file at a time, so two Spark drivers never share the two cores.
    [path.join(PACKAGE_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'engines', '--runInBand'],
    {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssKiB(jest.pid!))), 500);
  const status = await new Promise<number | null>((resolve) => jest.on('exit', resolve));
  clearInterval(sampler);
  if (status !== 0) throw new Error(`the engine suite failed (exit ${status}); run npx jest --selectProjects engines`);
  return { wallS: Number(process.hrtime.bigint() - start) / 1e9, peakMiB: peak / 1024 };
}

runCli(async () => {
  const values = parseCommand(COMMAND);
  if (!values) return;
  const [tenants, runs] = (['tenants', 'runs'] as const).map((flag) => {
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(COMMAND, `--${flag} ${values[flag]} is not a whole number >= 1`);
    return n;
  });
  const env = largeEnvironment(tenants);

  renderEnvironment(env); // warm-up: module loading and JIT
  const synth: number[] = [];
  let objects: unknown[] = [];
  for (let i = 0; i < runs; i++) {
    synth.push(
      timeMs(() => {
        const charts = renderEnvironment(env);
        objects = charts.flatMap((c) => c.objects);
        for (const chart of charts) Yaml.stringify(...chart.objects);
      }),
    );
  }
  const plain = JSON.parse(JSON.stringify(objects));
  const serialize: number[] = [];
  for (let i = 0; i < runs; i++) serialize.push(timeMs(() => Yaml.stringify(...plain)));
  const peakMiB = process.resourceUsage().maxRSS / 1024;

  const scheduled = (objects as { kind: string }[]).filter(
    (o) => o.kind === 'ScheduledSparkApplication' || o.kind === 'CronJob',
  ).length;
  console.log(`environment: ${env.tenants.length} tenants, ${scheduled} scheduled jobs, ${objects.length} objects`);
  console.log(`synthesize (constructs + YAML), median of ${runs}: ${median(synth).toFixed(0)} ms`);
  console.log(`serialize the same objects to YAML only:  ${median(serialize).toFixed(0)} ms`);
  console.log(`ratio synthesize / serialize: ${(median(synth) / median(serialize)).toFixed(2)}`);
  console.log(`peak RSS of this process: ${peakMiB.toFixed(0)} MiB`);

  if (!values['skip-offload']) {
    const t = OFFLOAD_WRITER_TARGETS;
    const r = benchOffloadWriter(t.rows);
    const verdict = r.seconds <= t.seconds && r.peak_rss_mib <= t.peakRssMiB ? 'within' : 'OVER';
    console.log(
      `offload writer, one hour of ${r.rows} raw_trades rows (${r.written} in Iceberg): ${r.seconds} s, peak RSS ` +
        `${r.peak_rss_mib} MiB (targets <= ${t.seconds} s, <= ${t.peakRssMiB} MiB: ${verdict})`,
    );
  }

  if (!values['skip-engines']) {
    const engines = await measureEngines(Boolean(values['engines-cold']));
    const label = values['engines-cold'] ? 'cold (empty .local/ caches)' : 'warm';
    console.log(`real-engine suite, ${label}, wall: ${engines.wallS.toFixed(0)} s`);
    console.log(`real-engine suite, peak RSS of the process tree: ${engines.peakMiB.toFixed(0)} MiB`);
  }

  if (values['skip-cli']) return;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const cli = [0, 1, 2].map(() =>
    wallMs(process.execPath, ['-r', './scripts/register.js', 'scripts/synth.ts', '--out', out]),
  );
  // The same app as cdk8s.yaml runs it, but through ts-node with type-checking (ts-node's default).
  const tsNode = path.join(PACKAGE_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
  const typeChecked = [0, 1, 2].map(() =>
    wallMs(process.execPath, [tsNode, 'scripts/cdk8s-app.ts'], { CDK8S_OUTDIR: out }),
  );
  console.log(`npm run synth, all environments, wall (median of 3): ${median(cli).toFixed(0)} ms`);
  console.log(`same app via type-checking ts-node, wall (median of 3): ${median(typeChecked).toFixed(0)} ms`);

  // npm run validate over the three environments just written: the in-process checks alone, then as the command runs
  // by default (with kubectl-validate when `npm run tools` built it). The target is under VALIDATE_TARGET_MS.
  const validate = (extra: string[]) =>
    median(
      [0, 1, 2].map(() =>
        wallMs(process.execPath, ['-r', './scripts/register.js', 'scripts/validate.ts', '--dir', out, ...extra]),
      ),
    );
  const inProcess = validate(['--no-kubectl-validate']);
  const full = validate([]);
  const withTool = installedGoTool('kubectlValidate') ? 'with kubectl-validate' : 'kubectl-validate not installed';
  console.log(
    `npm run validate, all environments, in-process checks only, wall (median of 3): ${inProcess.toFixed(0)} ms`,
  );
  console.log(`npm run validate, all environments, ${withTool}, wall (median of 3): ${full.toFixed(0)} ms`);
  if (full >= VALIDATE_TARGET_MS) {
    process.stderr.write(`npm run validate takes ${full.toFixed(0)} ms, over the ${VALIDATE_TARGET_MS} ms target\n`);
    process.exitCode = 1;
  }
});

/** `npm run validate` on the three shipped environments must stay under this (README, issue #15). */
const VALIDATE_TARGET_MS = 3000;
