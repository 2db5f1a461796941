/**
 * What the environment holds around the clock (system nodes and the services on them) against what its scheduled
 * jobs hold while they run, in CPU-hours and memory-hours per day.
 */
import { EnvironmentConfig, MINUTES_PER_DAY, MINUTES_PER_WEEK, parseQuantity, PRICES } from '../../config';
import { TENANT_LABEL } from '../../constructs/conventions';
import { releaseWorkloads } from '../../constructs/releases/defaults';
import type { KubeObject } from '../../config';
import { ReportError } from './jobs';
import { Run } from './timeline';

const GiB = 2 ** 30;

/** vCPU and memory of the EC2 instance types the environments may use, from the one price table in config/. */
export const INSTANCE_SHAPES: Readonly<Record<string, { cpu: number; memory: number }>> = Object.fromEntries(
  Object.entries(PRICES.ec2).map(([type, shape]) => [type, { cpu: shape.cpu, memory: shape.memoryGiB * GiB }]),
);

/** A long-running service and what it requests at all times. */
export interface AlwaysOnService {
  readonly name: string;
  readonly namespace: string;
  /** Where the figures come from: a synthesized Deployment/StatefulSet, or a Helm release's typed values. */
  readonly source: string;
  readonly replicas: number;
  /** CPU cores per replica. */
  readonly cpu: number;
  /** Memory bytes per replica. */
  readonly memory: number;
  /** The tenant it serves, for services in a tenant namespace (Spark Connect servers). */
  readonly tenant?: string;
}

/** Deployments and StatefulSets among the synthesized objects: their replicas times their containers' requests. */
export function alwaysOnWorkloads(objects: readonly KubeObject[]): AlwaysOnService[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((o) => {
      const spec = (o.spec ?? {}) as Record<string, any>;
      const containers: any[] = spec.template?.spec?.containers ?? [];
      const sum = (key: 'cpu' | 'memory') =>
        containers.reduce((n, c) => n + parseQuantity(c.resources?.requests?.[key] ?? 0), 0);
      return {
        name: o.metadata.name,
        namespace: o.metadata.namespace ?? 'default',
        source: o.kind,
        replicas: Number(spec.replicas ?? 1),
        cpu: sum('cpu'),
        memory: sum('memory'),
      };
    });
}

/**
 * Spark Connect servers: each idles as one server pod on the Spark driver nodes (executors come and go with
 * sessions), so its server template's requests are held around the clock.
 */
export function idleSparkConnectServers(objects: readonly KubeObject[]): AlwaysOnService[] {
  return objects
    .filter((o) => o.kind === 'SparkConnect')
    .map((o) => {
      const containers: any[] = (o.spec as any)?.server?.template?.spec?.containers ?? [];
      const sum = (key: 'cpu' | 'memory') =>
        containers.reduce((n, c) => n + parseQuantity(c.resources?.requests?.[key] ?? 0), 0);
      const namespace = o.metadata.namespace ?? 'default';
      return {
        name: o.metadata.name,
        namespace,
        tenant: (o.metadata.labels as Record<string, string> | undefined)?.[TENANT_LABEL] ?? namespace,
        source: 'SparkConnect server (idle)',
        replicas: 1,
        cpu: sum('cpu'),
        memory: sum('memory'),
      };
    });
}

/**
 * The Helm releases' long-running pods (operators, scheduler, Polaris): they are not among the synthesized objects, so
 * their requests come from the typed values the releases are installed with.
 */
export function releaseServices(env: EnvironmentConfig): AlwaysOnService[] {
  return releaseWorkloads(env.services, env.monitoring).map((w) => ({
    name: `${w.release} ${w.component}`,
    namespace: w.namespace,
    source: 'Helm values',
    replicas: w.replicas,
    cpu: parseQuantity(w.resources.requests.cpu),
    memory: parseQuantity(w.resources.requests.memory),
  }));
}

export interface Usage {
  /** The system node group at its minimum size: billed around the clock. */
  readonly systemNodes: {
    readonly instanceType: string;
    readonly nodes: number;
    readonly cpu: number;
    readonly memory: number;
  };
  readonly services: readonly AlwaysOnService[];
  /** Idle Spark Connect servers: always on too, but on Spark nodes rather than system nodes. */
  readonly interactive: readonly AlwaysOnService[];
  /** Sum of the services' requests (CPU cores, memory bytes). */
  readonly serviceRequests: { readonly cpu: number; readonly memory: number };
  /** Scheduled-job CPU-hours and memory GiB-hours per day of the reference week, Monday first. */
  readonly byDay: readonly { readonly cpuHours: number; readonly memoryGiBHours: number }[];
  /** Weekly totals divided by seven. */
  readonly perDay: { readonly cpuHours: number; readonly memoryGiBHours: number };
  /** Hours per day (weekly average) during which at least one scheduled job runs. */
  readonly busyHoursPerDay: number;
  /** The most CPU and memory scheduled jobs hold at the same minute: what always-on Spark capacity would need. */
  readonly peak: { readonly cpu: number; readonly memory: number };
  /** Running `peak` around the clock instead: CPU-hours and memory GiB-hours per day. */
  readonly alwaysOnSparkPerDay: { readonly cpuHours: number; readonly memoryGiBHours: number };
  /** Fraction of CPU-hours (and memory-hours) batch-only Spark saves against always-on Spark (0.988 = 98.8%). */
  readonly saving: { readonly cpu: number; readonly memory: number };
}

export function usage(
  env: EnvironmentConfig,
  runs: readonly Run[],
  services: readonly AlwaysOnService[],
  interactive: readonly AlwaysOnService[] = [],
): Usage {
  const instanceType = env.capacity.system.instanceTypes[0];
  const shape = INSTANCE_SHAPES[instanceType];
  if (!shape) {
    throw new ReportError('capacity.system', [
      `instance type '${instanceType}' has no known size; expected one of ${Object.keys(INSTANCE_SHAPES).join(', ')}`,
    ]);
  }
  const nodes = env.capacity.system.minNodes;

  const cpuAt = new Float64Array(MINUTES_PER_WEEK);
  const memoryAt = new Float64Array(MINUTES_PER_WEEK);
  const byDay = Array.from({ length: 7 }, () => ({ cpuHours: 0, memoryGiBHours: 0 }));
  for (const run of runs) {
    // A run is charged to the minutes it occupies, so one that crosses midnight counts on both days.
    for (let m = run.start; m < run.end; m++) {
      const minute = m % MINUTES_PER_WEEK;
      cpuAt[minute] += run.job.cpu;
      memoryAt[minute] += run.job.memory;
      const day = byDay[Math.floor(minute / MINUTES_PER_DAY)];
      day.cpuHours += run.job.cpu / 60;
      day.memoryGiBHours += run.job.memory / GiB / 60;
    }
  }
  let busyMinutes = 0;
  for (let m = 0; m < MINUTES_PER_WEEK; m++) if (cpuAt[m] > 0 || memoryAt[m] > 0) busyMinutes++;
  const perDay = {
    cpuHours: byDay.reduce((n, d) => n + d.cpuHours, 0) / 7,
    memoryGiBHours: byDay.reduce((n, d) => n + d.memoryGiBHours, 0) / 7,
  };
  const peak = { cpu: Math.max(0, ...cpuAt), memory: Math.max(0, ...memoryAt) };
  const alwaysOnSparkPerDay = { cpuHours: peak.cpu * 24, memoryGiBHours: (peak.memory / GiB) * 24 };
  const fewer = (batch: number, always: number) => (always === 0 ? 0 : 1 - batch / always);
  return {
    systemNodes: { instanceType, nodes, cpu: nodes * shape.cpu, memory: nodes * shape.memory },
    services,
    interactive,
    serviceRequests: {
      cpu: services.reduce((n, s) => n + s.replicas * s.cpu, 0),
      memory: services.reduce((n, s) => n + s.replicas * s.memory, 0),
    },
    byDay,
    perDay,
    busyHoursPerDay: busyMinutes / 7 / 60,
    peak,
    alwaysOnSparkPerDay,
    saving: {
      cpu: fewer(perDay.cpuHours, alwaysOnSparkPerDay.cpuHours),
      memory: fewer(perDay.memoryGiBHours, alwaysOnSparkPerDay.memoryGiBHours),
    },
  };
}
