import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject, loadEnvironment, PACKAGE_ROOT } from '../../config';
import { JOB_RUNNER, JobPlan, PLAN_API_VERSION } from '../../jobs/plan';
import { renderEnvironment } from '../../stacks/k8s';
import { Plane, planeCatalogConf, PlaneError, planeRestOverrides, planeSparkConf } from './plane';

/** What the Spark Operator launches for one SparkApplication: its conf, main file, arguments and mounted plan. */
export interface SparkLaunch {
  readonly name: string;
  readonly sparkConf: Readonly<Record<string, string>>;
  readonly mainApplicationFile: string;
  readonly arguments: readonly string[];
  /** The plan ConfigMap's `plan.json`, as mounted at `JOB_RUNNER.planDir`. */
  readonly planText: string;
  readonly plan: JobPlan;
}

/** Every (Scheduled)SparkApplication among synthesized objects whose driver mounts a job plan. */
export function sparkLaunches(objects: readonly KubeObject[]): SparkLaunch[] {
  const plans = new Map<string, string>();
  for (const o of objects) {
    const text = o.kind === 'ConfigMap' ? (o as any).data?.[JOB_RUNNER.planFile] : undefined;
    if (text && JSON.parse(text).apiVersion === PLAN_API_VERSION)
      plans.set(`${o.metadata.namespace}/${o.metadata.name}`, text);
  }
  const launches: SparkLaunch[] = [];
  for (const o of objects) {
    if (o.kind !== 'SparkApplication' && o.kind !== 'ScheduledSparkApplication') continue;
    const spec = (o.kind === 'SparkApplication' ? (o as any).spec : (o as any).spec.template) as Record<string, any>;
    const mount = (spec.driver?.configMaps ?? []).find((m: { path: string }) => m.path === JOB_RUNNER.planDir);
    const planText = mount && plans.get(`${o.metadata.namespace}/${mount.name}`);
    if (!planText) continue;
    launches.push({
      name: o.metadata.name,
      sparkConf: spec.sparkConf ?? {},
      mainApplicationFile: spec.mainApplicationFile,
      arguments: spec.arguments ?? [],
      planText,
      plan: JSON.parse(planText) as JobPlan,
    });
  }
  return launches;
}

/**
 * The launch's Spark conf on the plane: everything the SparkApplication sets, except what only exists in the cluster.
 * A REST catalog (Polaris) keeps its rendered conf with the plane's addresses ({@link planeRestOverrides}); any other
 * Iceberg catalog (a migration's Glue source) is replaced by a JDBC catalog of the same name; event logs go to
 * `eventLogDir` instead of the event-log bucket. Plus the local master and jars.
 */
export function planeConfOf(
  plane: Plane,
  launch: Pick<SparkLaunch, 'sparkConf'>,
  eventLogDir: string,
): Record<string, string> {
  const conf = launch.sparkConf;
  const catalogs = Object.keys(conf)
    .filter((key) => /^spark\.sql\.catalog\.[^.]+$/.test(key) && conf[key] === ICEBERG_SPARK_CATALOG)
    .map((key) => ({ key, name: key.slice('spark.sql.catalog.'.length), rest: conf[`${key}.type`] === 'rest' }));
  const replaced = catalogs.filter((c) => !c.rest);
  const isReplaced = (key: string) => replaced.some((c) => key === c.key || key.startsWith(`${c.key}.`));
  const kept = Object.entries(conf).filter(([key]) => !isReplaced(key) && key !== 'spark.eventLog.dir');
  return {
    ...Object.fromEntries(kept),
    ...Object.assign(
      {},
      ...catalogs.map((c) => (c.rest ? planeRestOverrides(plane, c.name) : planeCatalogConf(plane, c.name))),
    ),
    'spark.eventLog.dir': `file://${eventLogDir}`,
    ...planeSparkConf(plane),
  };
}

const ICEBERG_SPARK_CATALOG = 'org.apache.iceberg.spark.SparkCatalog';

/** Refuses a plan the plane cannot run as rendered: one that reads ClickHouse (no ClickHouse server can be had). */
export function assertRunnableOnPlane(launch: SparkLaunch): void {
  if (launch.plan.clickhouse)
    throw new PlaneError(
      launch.name,
      'expected a plan that reads no ClickHouse (the local plane has no ClickHouse server)',
      'the engine suite runs audits and backfills against its ClickHouse stand-in',
    );
}

/** How {@link submitOnPlane} runs a launch. */
export interface SubmitOptions {
  /** Conf set over the launch's. @default - none */
  readonly extraConf?: Readonly<Record<string, string>>;
  /** Environment variables of the driver over the plane's. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Runs a plan that reads ClickHouse against a STAND-IN, since no ClickHouse server can be had here: the ClickHouse
   * catalog's name is an Iceberg JDBC catalog on the plane holding the rows, and the plan's ClickHouse connection is
   * dropped so the runner does not point that catalog at the ClickHouse connector. Proves the Spark and Iceberg side of
   * audits and backfills, not the connector's reads.
   * @default false - such a plan is refused
   */
  readonly clickhouseStandIn?: boolean;
}

/**
 * Runs the launch the way the operator does: `spark-submit` of the job package's main file with the plan mounted as
 * the SparkApplication's argument says, and the driver's credential variables set.
 */
export function submitOnPlane(
  plane: Plane,
  launch: SparkLaunch,
  options: SubmitOptions = {},
): SpawnSyncReturns<string> {
  const { clickhouse, ...withoutClickhouse } = launch.plan;
  if (!options.clickhouseStandIn) assertRunnableOnPlane(launch);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `${launch.name}-`));
  try {
    const planDir = path.join(work, 'plan');
    const events = path.join(work, 'spark-events');
    fs.mkdirSync(planDir);
    fs.mkdirSync(events);
    const planText = clickhouse ? JSON.stringify(withoutClickhouse) : launch.planText;
    fs.writeFileSync(path.join(planDir, JOB_RUNNER.planFile), planText);
    const conf = {
      ...planeConfOf(plane, launch, events),
      ...(clickhouse ? planeCatalogConf(plane, clickhouse.catalog) : {}),
      ...options.extraConf,
    };
    const args = launch.arguments.map((arg) =>
      arg.startsWith(`${JOB_RUNNER.planDir}/`) ? path.join(planDir, arg.slice(JOB_RUNNER.planDir.length + 1)) : arg,
    );
    return sparkSubmit(plane, conf, localPath(launch.mainApplicationFile), args, {
      // The runner joins these into the catalog's OAuth credential; the plane's REST catalog grants any client a token.
      [launch.plan.catalog.credentialEnv.clientId]: 'local-plane',
      [launch.plan.catalog.credentialEnv.clientSecret]: 'local-plane',
      ...options.env,
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `spark-submit` of a Python file on the plane with this conf. */
export function sparkSubmit(
  plane: Plane,
  conf: Readonly<Record<string, string>>,
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): SpawnSyncReturns<string> {
  const confArgs = Object.entries(conf).flatMap(([key, value]) => ['--conf', `${key}=${value}`]);
  return spawnSync(plane.spark.submit, [...confArgs, file, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...plane.spark.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
}

/** `local:///opt/dataplane/...` inside the image is `jobs/...` in the clone (jobs/Dockerfile copies it there). */
function localPath(file: string): string {
  const inImage = file.replace(/^local:\/\//, '');
  if (!inImage.startsWith(`${JOB_RUNNER.packageDir}/`))
    throw new PlaneError(
      'spark',
      `expected a main file under ${JOB_RUNNER.packageDir}, got ${file}`,
      'check jobs/plan.ts',
    );
  return path.join(PACKAGE_ROOT, 'jobs', inImage.slice(JOB_RUNNER.packageDir.length + 1));
}

/** `npm run local -- run <job | plan.json>`: a scheduled job of the environment, or a plan file, on the plane. */
export function runOnPlane(plane: Plane, target: string, envName: string, log: (line: string) => void): number {
  const launches = sparkLaunches(renderEnvironment(loadEnvironment(envName)).flatMap((chart) => chart.objects));
  let launch = launches.find((l) => l.name === target);
  if (!launch && fs.existsSync(target)) {
    // A plan file runs with the Spark conf every job of the environment carries (that of its first job).
    const planText = fs.readFileSync(target, 'utf8');
    const base = launches[0];
    launch = { ...base, name: path.basename(target, '.json'), planText, plan: JSON.parse(planText) as JobPlan };
  }
  if (!launch) {
    const names = launches.filter((l) => !l.plan.clickhouse).map((l) => l.name);
    throw new PlaneError(
      'run',
      `expected a plan file or one of the jobs of ${envName}: ${names.join(', ')}`,
      `got ${target}`,
    );
  }
  log(`running ${launch.name} (${launch.plan.steps.length} steps)`);
  const result = submitOnPlane(plane, launch);
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  return result.status ?? 1;
}
