/**
 * The scheduled jobs of an environment, read from the synthesized objects: what each run reserves (pods, CPU, memory),
 * for how long, on which queue and which tables.
 */
import { DataPlaneError, loadLocationError, parseCronSchedule, parseQuantity } from '../../config';
import {
  BATCH_TIER_LABEL,
  EXPECTED_RUNTIME_ANNOTATION,
  ICEBERG_TABLES_ANNOTATION,
  TENANT_LABEL,
  tenantQueue,
} from '../../constructs/conventions';
import { KubeObject } from '../k8s/render';

/** Raised when the synthesized objects lack something the report needs (e.g. an expected runtime). */
export class ReportError extends DataPlaneError {}

const MiB = 2 ** 20;

/**
 * Spark's memory overhead when a job does not set one: `max(384 MiB, factor x memory)`, factor 0.1 for JVM jobs and
 * 0.4 for Python/R (non-JVM) jobs, as in Spark 3.3+ (`spark.kubernetes.memoryOverheadFactor`).
 */
export const SPARK_OVERHEAD = { minimum: 384 * MiB, jvmFactor: 0.1, nonJvmFactor: 0.4 } as const;

/** One kind of pod a run starts. */
export interface PodGroup {
  /** driver, executor, or the container name of a CronJob pod. */
  readonly role: string;
  readonly count: number;
  /** CPU cores requested by one pod. */
  readonly cpu: number;
  /** Memory (bytes) requested by one pod, overhead included. */
  readonly memory: number;
}

export interface ScheduledJob {
  readonly kind: 'ScheduledSparkApplication' | 'CronJob';
  readonly name: string;
  readonly namespace: string;
  readonly tenant: string;
  readonly queue: string;
  /** Iceberg tables the job touches (empty when it does not declare them). */
  readonly tables: readonly string[];
  readonly schedule: string;
  readonly timeZone: string;
  readonly runtimeMinutes: number;
  /** The ADR-006 batch tier from the job's label (`1` hourly offload, `2` Spark maintenance), if it has one. */
  readonly tier?: string;
  readonly pods: readonly PodGroup[];
  /** CPU cores one run holds at full size. */
  readonly cpu: number;
  /** Memory (bytes) one run holds at full size. */
  readonly memory: number;
}

/** Every ScheduledSparkApplication and CronJob among `objects`; throws a {@link ReportError} listing every gap. */
export function scheduledJobs(objects: readonly KubeObject[]): ScheduledJob[] {
  const problems: string[] = [];
  const jobs: ScheduledJob[] = [];
  for (const object of objects) {
    if (object.kind !== 'ScheduledSparkApplication' && object.kind !== 'CronJob') continue;
    const where = `${object.kind} ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
    const before = problems.length;
    const note = (line: string) => problems.push(`${where}: ${line}`);
    const job = object.kind === 'CronJob' ? readCronJob(object, note) : readSparkJob(object, note);
    if (problems.length === before) jobs.push(job);
  }
  if (problems.length > 0) throw new ReportError('scheduled jobs', problems);
  return jobs;
}

type Note = (line: string) => void;
type Json = Record<string, any>;

function common(object: KubeObject, spec: Json, note: Note) {
  const metadata = object.metadata as Json;
  const namespace = metadata.namespace ?? 'default';
  const annotations: Json = metadata.annotations ?? {};
  const runtimeText = annotations[EXPECTED_RUNTIME_ANNOTATION];
  const runtimeMinutes = Number(runtimeText);
  if (!/^\d+$/.test(String(runtimeText ?? '')) || runtimeMinutes < 1) {
    note(
      `annotation '${EXPECTED_RUNTIME_ANNOTATION}' is ${JSON.stringify(runtimeText ?? null)}; expected whole minutes >= 1`,
    );
  }
  const schedule = String(spec.schedule ?? '');
  // Worded as the server would; also refused: what has no runs to place in a week (`@every`, a time-zone prefix).
  try {
    parseCronSchedule(schedule);
  } catch (error) {
    note(`spec.schedule ${JSON.stringify(schedule)}: ${(error as Error).message}`);
  }
  const timeZone = String(spec.timeZone ?? 'UTC');
  const zoneProblem = loadLocationError(timeZone);
  if (zoneProblem !== undefined) note(`spec.timeZone: ${zoneProblem}`);
  const tables = String(annotations[ICEBERG_TABLES_ANNOTATION] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const tenant: string = metadata.labels?.[TENANT_LABEL] ?? namespace;
  const tier: string | undefined = metadata.labels?.[BATCH_TIER_LABEL];
  return {
    name: object.metadata.name,
    namespace,
    tenant,
    tables,
    schedule,
    timeZone,
    runtimeMinutes,
    ...(tier ? { tier } : {}),
  };
}

function readSparkJob(object: KubeObject, note: Note): ScheduledJob {
  const spec: Json = (object.spec as Json) ?? {};
  const base = common(object, spec, note);
  const app: Json = spec.template ?? {};
  const factor =
    app.memoryOverheadFactor !== undefined
      ? Number(app.memoryOverheadFactor)
      : app.type === 'Python' || app.type === 'R'
        ? SPARK_OVERHEAD.nonJvmFactor
        : SPARK_OVERHEAD.jvmFactor;
  const pod = (role: 'driver' | 'executor', count: number): PodGroup => {
    const p: Json = app[role] ?? {};
    const memory = sparkMemory(p.memory ?? '1g', `spec.template.${role}.memory`, note);
    const overhead =
      p.memoryOverhead !== undefined
        ? sparkMemory(p.memoryOverhead, `spec.template.${role}.memoryOverhead`, note)
        : Math.max(SPARK_OVERHEAD.minimum, factor * memory);
    // The operator turns coreRequest into the pod's CPU request; without it the request is `cores`.
    const cpu = p.coreRequest !== undefined ? parseQuantity(p.coreRequest) : Number(p.cores ?? 1);
    return { role, count, cpu, memory: memory + overhead };
  };
  const dynamic: Json = app.dynamicAllocation ?? {};
  let executors = Number(app.executor?.instances ?? 1);
  if (dynamic.enabled) {
    // Sized at the ceiling dynamic allocation may reach, so the saving is never overstated.
    if (dynamic.maxExecutors === undefined)
      note('dynamic allocation without maxExecutors: the executor count is unbounded');
    executors = Number(dynamic.maxExecutors ?? 0);
  }
  const pods = [pod('driver', 1), pod('executor', executors)];
  const queue: string = app.batchSchedulerOptions?.queue ?? tenantQueue(base.tenant);
  return { kind: 'ScheduledSparkApplication', ...base, queue, pods, ...totals(pods) };
}

function readCronJob(object: KubeObject, note: Note): ScheduledJob {
  const spec: Json = (object.spec as Json) ?? {};
  const base = common(object, spec, note);
  const job: Json = spec.jobTemplate?.spec ?? {};
  const template: Json = job.template ?? {};
  const parallelism = Number(job.parallelism ?? 1);
  const pods: PodGroup[] = ((template.spec?.containers ?? []) as Json[]).map((container) => {
    const requests: Json = container.resources?.requests ?? {};
    if (requests.cpu === undefined || requests.memory === undefined)
      note(`container '${container.name}' has no CPU and memory requests`);
    return {
      role: container.name,
      count: parallelism,
      cpu: requests.cpu === undefined ? 0 : parseQuantity(requests.cpu),
      memory: requests.memory === undefined ? 0 : parseQuantity(requests.memory),
    };
  });
  // YuniKorn takes the queue from the pod (its own label or annotation first, then the legacy `queue` label); with
  // none, the placement rules tag the pod by namespace, which is the tenant's queue.
  const podMeta: Json = template.metadata ?? {};
  const queue: string =
    podMeta.labels?.['yunikorn.apache.org/queue'] ??
    podMeta.annotations?.['yunikorn.apache.org/queue'] ??
    podMeta.labels?.queue ??
    tenantQueue(base.tenant);
  return { kind: 'CronJob', ...base, queue, pods, ...totals(pods) };
}

function totals(pods: readonly PodGroup[]): { cpu: number; memory: number } {
  return {
    cpu: pods.reduce((sum, p) => sum + p.count * p.cpu, 0),
    memory: pods.reduce((sum, p) => sum + p.count * p.memory, 0),
  };
}

const SPARK_UNITS: Record<string, number> = { b: 1, k: 2 ** 10, m: MiB, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** Spark's memory notation (`512m`, `4g`, `2gb`; a bare number is MiB), in bytes. */
export function sparkMemory(value: unknown, key: string, note: Note): number {
  const match = /^(\d+)([bkmgtp])?b?$/i.exec(String(value).trim());
  if (!match) {
    note(`${key} is ${JSON.stringify(value)}; expected Spark memory such as 512m or 4g`);
    return 0;
  }
  return Number(match[1]) * SPARK_UNITS[(match[2] ?? 'm').toLowerCase()];
}
