import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isQuantity, parseQuantity, Problems } from '../../config';
import {
  NODE_POOL_LABEL,
  OFFLOAD_POD_LABEL,
  POLARIS_CREDENTIALS_SECRET,
  SPARK_NODE_POOLS,
  SPARK_NODE_TAINT,
  TENANT_JOB_SERVICE_ACCOUNT,
  tenantUserInfo,
  YUNIKORN_USER_INFO,
  TENANT_LABEL,
} from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from '../tenancy/network-allow-rule';
import { polarisCatalogConf, SPARK_RPC_SECURITY_CONF } from '../workloads/spark-application';
import { PLAN_ENV, planClickHouse, renderPlan } from '../../jobs/plan';
import { scheduledJobAnnotations } from '../workloads/scheduled-spark-job';
import { OFFLOAD_CATALOGS, offloadPlan, OffloadStep } from './plan';

/** Where the offload reads from. */
export interface ClickHouseEndpoint {
  /** Host name of the ClickHouse HTTP(S) interface. */
  readonly host: string;
  /** HTTP(S) port (8123 plain, 8443 TLS). */
  readonly port: number;
  /** `https` turns on TLS in the connector (`option.ssl=true`). */
  readonly protocol: 'http' | 'https';
  /** CIDR blocks of the ClickHouse hosts, for the network policy. */
  readonly cidrs: readonly string[];
  /** Secret in the tenant namespace holding the ClickHouse user and password. */
  readonly credentialsSecret: { readonly name: string; readonly userKey: string; readonly passwordKey: string };
}

/** One ClickHouse table and the Iceberg table it is offloaded to. */
export interface OffloadTable {
  /** The ClickHouse table. */
  readonly source: {
    /** ClickHouse database. */
    readonly database: string;
    /** ClickHouse table. */
    readonly table: string;
    /** UTC timestamp column the hour windows are cut on. */
    readonly eventTimeColumn: string;
    /** Hours ClickHouse keeps a row (its `TTL <eventTimeColumn> + INTERVAL n HOUR`). */
    readonly ttlHours: number;
    /** Hours after its hour closed within which a row may still arrive; those hours are replaced again each run. */
    readonly allowedLatenessHours: number;
  };
  /** The Iceberg table in the Polaris catalog. */
  readonly target: {
    /** Iceberg namespace. */
    readonly namespace: string;
    /** Iceberg table name. */
    readonly table: string;
    /** The table's partition spec as transforms, e.g. `['hours(event_ts)']`; it must contain `hours(<eventTimeColumn>)`. */
    readonly partitionedBy: readonly string[];
  };
}

/** Props of {@link ClickHouseOffload}. */
export interface ClickHouseOffloadProps {
  /** The tenant (and namespace) the job runs in. */
  readonly tenant: string;
  /** Name of the run within the tenant (e.g. `gold`); the CronJob is `offload-<tenant>-<name>`. */
  readonly name: string;
  /** Offload image (`jobs/Dockerfile`). */
  readonly image: string;
  /** Hourly cron `<minute> * * * *`, in UTC; the exactly-once windows assume one run per hour. */
  readonly schedule: string;
  /** The ClickHouse server. */
  readonly clickhouse: ClickHouseEndpoint;
  /** Polaris catalog (the Iceberg `warehouse`) and realm. */
  readonly catalog: { readonly name: string; readonly realm: string };
  /** Tables offloaded by this run, in dependency order (one JVM start for all of them). */
  readonly tables: readonly OffloadTable[];
  /**
   * Whole hours between the end of an hour and its first offload, so inserts in flight are included.
   * @default 1
   */
  readonly lagHours?: number;
  /**
   * Longest outage (hours without a successful run) the job catches up by itself; an older watermark stops the run.
   * @default 24
   */
  readonly outageToleranceHours?: number;
  /**
   * CPU (Spark local threads) and memory of the single pod; requests equal limits.
   * @default { cpu: '2', memory: '4Gi' }
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /**
   * Seconds a run may start late before the hour's run is skipped (the next run catches the hour up).
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Seconds after which a run is killed; shorter than the hour so runs never pile up behind Forbid.
   * @default 2700
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Expected run time in whole minutes, published for the schedule-conflict checks (maintenance of the same table
   * must not overlap it).
   * @default 15
   */
  readonly expectedRuntimeMinutes?: number;
  /**
   * Pod retries within one run; a retry rewrites the same hours.
   * @default 2
   */
  readonly backoffLimit?: number;
}

const DEFAULTS = {
  lagHours: 1,
  outageToleranceHours: 24,
  resources: { cpu: '2', memory: '4Gi' },
  // 10 s (the L2 default) skips a run on any controller hiccup; 5 min absorbs controller restarts and node scale-up
  // while staying far from the next hour, and a skipped run costs nothing because the next one catches up.
  startingDeadlineSeconds: 300,
  activeDeadlineSeconds: 2700,
  expectedRuntimeMinutes: 15,
  backoffLimit: 2,
  /** Share of the pod memory given to the driver heap; the rest is JVM overhead and the Python process. */
  heapShare: 0.75,
} as const;

const HOURLY = /^([0-9]|[1-5][0-9]) \* \* \* \*$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLAN_DIR = '/etc/dataplane';

/**
 * Hourly ClickHouse → Iceberg offload of one group of tables: a CronJob running Spark in local mode in one pod on the
 * on-demand driver pool, its plan in a ConfigMap, and a network policy allowing only DNS, Polaris, ClickHouse and S3.
 */
export class ClickHouseOffload extends Construct {
  /** The CronJob name, `offload-<tenant>-<name>`. */
  public readonly jobName: string;
  /** The hourly schedule, in UTC. */
  public readonly schedule: string;
  /** Expected run time in whole minutes (the expected-runtime annotation), for the schedule-conflict checks. */
  public readonly expectedRuntimeMinutes: number;
  /** The ClickHouse server it reads. */
  public readonly clickhouse: ClickHouseEndpoint;
  /** The tables it offloads (with their TTL and lateness), in dependency order. */
  public readonly tables: readonly OffloadTable[];
  /** Its plan steps, one per table in the same order. */
  public readonly steps: readonly OffloadStep[];

  constructor(scope: Construct, id: string, props: ClickHouseOffloadProps) {
    super(scope, id);
    const lagHours = props.lagHours ?? DEFAULTS.lagHours;
    const outageToleranceHours = props.outageToleranceHours ?? DEFAULTS.outageToleranceHours;
    const resources = props.resources ?? DEFAULTS.resources;
    const startingDeadlineSeconds = props.startingDeadlineSeconds ?? DEFAULTS.startingDeadlineSeconds;
    const activeDeadlineSeconds = props.activeDeadlineSeconds ?? DEFAULTS.activeDeadlineSeconds;
    const backoffLimit = props.backoffLimit ?? DEFAULTS.backoffLimit;
    const expectedRuntimeMinutes = props.expectedRuntimeMinutes ?? DEFAULTS.expectedRuntimeMinutes;
    this.jobName = `offload-${props.tenant}-${props.name}`;
    this.schedule = props.schedule;
    this.expectedRuntimeMinutes = expectedRuntimeMinutes;
    this.clickhouse = props.clickhouse;
    this.tables = props.tables;

    const problems = new Problems(this.node.path);
    const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
    problems.check(NAME.test(props.tenant), 'tenant', props.tenant, 'a DNS label');
    problems.check(NAME.test(props.name), 'name', props.name, 'a DNS label');
    problems.check(
      this.jobName.length <= 52,
      'name',
      props.name,
      `a name keeping the CronJob name "${this.jobName}" within 52 characters`,
    );
    problems.check(
      HOURLY.test(props.schedule),
      'schedule',
      props.schedule,
      'an hourly cron "<minute 0-59> * * * *" (the windows assume one run per hour)',
    );
    problems.check(props.tables.length > 0, 'tables', props.tables, 'at least one table');
    problems.check(
      whole(lagHours, 1),
      'lagHours',
      lagHours,
      'a whole number of hours >= 1 (inserts of the hour just closed may still be in flight)',
    );
    problems.check(
      whole(outageToleranceHours, 1),
      'outageToleranceHours',
      outageToleranceHours,
      'a whole number of hours >= 1',
    );
    problems.check(
      isQuantity(resources.cpu) && whole(parseQuantity(resources.cpu), 1),
      'resources.cpu',
      resources.cpu,
      'whole cores >= 1 (Spark local[N] threads)',
    );
    problems.check(
      isQuantity(resources.memory) && parseQuantity(resources.memory) >= 2 ** 30,
      'resources.memory',
      resources.memory,
      'a memory quantity of at least 1Gi',
    );
    problems.check(
      whole(startingDeadlineSeconds, 60) && startingDeadlineSeconds < 3600,
      'startingDeadlineSeconds',
      startingDeadlineSeconds,
      'between 60 and 3599 (the CronJob controller syncs every 10 s; an hour or more overlaps the next run)',
    );
    problems.check(
      whole(activeDeadlineSeconds, 60) && activeDeadlineSeconds + startingDeadlineSeconds < 3600,
      'activeDeadlineSeconds',
      activeDeadlineSeconds,
      `at least 60 and less than 3600 - startingDeadlineSeconds (${3600 - startingDeadlineSeconds}), so a run ends before the next hour's`,
    );
    problems.check(
      whole(expectedRuntimeMinutes, 1) && expectedRuntimeMinutes * 60 <= activeDeadlineSeconds,
      'expectedRuntimeMinutes',
      expectedRuntimeMinutes,
      `whole minutes >= 1 within activeDeadlineSeconds (${activeDeadlineSeconds} s)`,
    );
    problems.check(whole(backoffLimit, 0), 'backoffLimit', backoffLimit, 'a whole number >= 0');
    problems.check(
      props.clickhouse.cidrs.length > 0,
      'clickhouse.cidrs',
      props.clickhouse.cidrs,
      'at least one CIDR of the ClickHouse hosts',
    );

    // The oldest hour a run may read is lag + max(lateness, outage) hours old, plus up to one hour because the run
    // starts within the hour after the window closed: ClickHouse must still hold it, or replacing the hour would
    // delete its rows from Iceberg too.
    const horizon = outageToleranceHours + 1;
    const targets = new Set<string>();
    props.tables.forEach((table, i) => {
      const { source, target } = table;
      const at = `tables[${i}]`;
      for (const [key, value] of [
        ['source.database', source.database],
        ['source.table', source.table],
        ['source.eventTimeColumn', source.eventTimeColumn],
        ['target.namespace', target.namespace],
        ['target.table', target.table],
      ] as const) {
        problems.check(IDENTIFIER.test(value), `${at}.${key}`, value, 'an identifier (letters, digits, "_")');
      }
      problems.check(
        whole(source.allowedLatenessHours, 0),
        `${at}.source.allowedLatenessHours`,
        source.allowedLatenessHours,
        'a whole number of hours >= 0',
      );
      const needed = lagHours + source.allowedLatenessHours + horizon;
      problems.check(
        whole(source.ttlHours, 1) && source.ttlHours >= needed,
        `${at}.source.ttlHours`,
        source.ttlHours,
        `at least ${needed} h = lag ${lagHours} + allowed lateness ${source.allowedLatenessHours} + catch-up horizon ${horizon} ` +
          `(outage tolerance ${outageToleranceHours} + the 1 h a run starts after its window): ClickHouse would delete rows ` +
          'before they are offloaded, and replacing such an hour would delete them from Iceberg too',
      );
      const hourly = `hours(${source.eventTimeColumn})`;
      problems.check(
        target.partitionedBy.includes(hourly),
        `${at}.target.partitionedBy`,
        target.partitionedBy,
        `a spec containing ${hourly}: each hour is replaced by an overwrite filter on whole hour partitions, which Iceberg ` +
          'refuses on other layouts ("Cannot delete file where some, but not all, rows match filter")',
      );
      const fqn = `${target.namespace}.${target.table}`;
      problems.check(
        !targets.has(fqn),
        `${at}.target`,
        fqn,
        'a table not already offloaded by this run (two writers per hour)',
      );
      targets.add(fqn);
    });
    problems.throwIfAny();

    this.steps = props.tables.map(({ source, target }) => ({
      type: 'offload',
      source: `${OFFLOAD_CATALOGS.clickhouse}.${source.database}.${source.table}`,
      target: `${OFFLOAD_CATALOGS.iceberg}.${target.namespace}.${target.table}`,
      eventTimeColumn: source.eventTimeColumn,
      lagHours,
      allowedLatenessHours: source.allowedLatenessHours,
      outageToleranceHours,
    }));
    const labels = {
      [TENANT_LABEL]: props.tenant,
      [OFFLOAD_POD_LABEL.key]: OFFLOAD_POD_LABEL.value,
      'dataplane.io/offload': props.name,
    };
    const metadata = (name: string) => ({ name, namespace: props.tenant, labels });

    const jobPlan = offloadPlan(
      this.jobName,
      props.tenant,
      this.steps,
      planClickHouse({ ...props.clickhouse, database: props.tables[0].source.database }),
    );
    const plan = new k8s.KubeConfigMap(this, 'plan', {
      metadata: metadata(`${this.jobName}-plan`),
      immutable: true,
      data: { 'plan.json': renderPlan(jobPlan) },
    });

    const cores = parseQuantity(resources.cpu);
    const heapMiB = Math.floor((parseQuantity(resources.memory) * DEFAULTS.heapShare) / 2 ** 20);
    const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({
      name,
      valueFrom: { secretKeyRef: { name: secret, key } },
    });
    const limits = { cpu: k8s.Quantity.fromString(resources.cpu), memory: k8s.Quantity.fromString(resources.memory) };

    new k8s.KubeCronJob(this, 'cronjob', {
      metadata: { ...metadata(this.jobName), annotations: scheduledJobAnnotations(jobPlan, expectedRuntimeMinutes) },
      spec: {
        schedule: props.schedule,
        timeZone: 'UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit,
            activeDeadlineSeconds,
            template: {
              // The identity YuniKorn admits to the tenant's queue (the tenant's admission policy pins it).
              metadata: {
                labels,
                annotations: {
                  [YUNIKORN_USER_INFO.annotation]: tenantUserInfo(props.tenant, TENANT_JOB_SERVICE_ACCOUNT),
                },
              },
              spec: {
                serviceAccountName: TENANT_JOB_SERVICE_ACCOUNT,
                // Local mode creates no executor pods, so the job needs no API access.
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                nodeSelector: { [NODE_POOL_LABEL]: SPARK_NODE_POOLS.driver.name },
                tolerations: [
                  {
                    key: SPARK_NODE_TAINT.key,
                    operator: 'Equal',
                    value: SPARK_NODE_TAINT.value,
                    effect: SPARK_NODE_TAINT.effect,
                  },
                ],
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 185,
                  runAsGroup: 185,
                  fsGroup: 185,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'offload',
                    image: props.image,
                    command: ['python3', '-m', 'dataplane_job', `${PLAN_DIR}/plan.json`],
                    env: [
                      secretEnv(
                        PLAN_ENV.clickhouseUser,
                        props.clickhouse.credentialsSecret.name,
                        props.clickhouse.credentialsSecret.userKey,
                      ),
                      secretEnv(
                        PLAN_ENV.clickhousePassword,
                        props.clickhouse.credentialsSecret.name,
                        props.clickhouse.credentialsSecret.passwordKey,
                      ),
                      secretEnv(
                        PLAN_ENV.polarisClientId,
                        POLARIS_CREDENTIALS_SECRET.name,
                        POLARIS_CREDENTIALS_SECRET.clientIdKey,
                      ),
                      secretEnv(
                        PLAN_ENV.polarisClientSecret,
                        POLARIS_CREDENTIALS_SECRET.name,
                        POLARIS_CREDENTIALS_SECRET.clientSecretKey,
                      ),
                      { name: 'PYSPARK_SUBMIT_ARGS', value: submitArgs(props, cores, heapMiB) },
                    ],
                    resources: { requests: limits, limits },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    volumeMounts: [
                      { name: 'plan', mountPath: PLAN_DIR, readOnly: true },
                      { name: 'scratch', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'plan', configMap: { name: plan.metadata.name! } },
                  { name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('10Gi') } },
                ],
              },
            },
          },
        },
      },
    });

    // DNS, Polaris and object storage come from the tenant's namespace-wide rules; only the offload pods reach ClickHouse.
    const [clickhouseEgress] = NetworkAllowRule.clickHouse({
      cidrs: props.clickhouse.cidrs,
      port: props.clickhouse.port,
      pods: { matchLabels: { 'dataplane.io/offload': props.name, [OFFLOAD_POD_LABEL.key]: OFFLOAD_POD_LABEL.value } },
      policyName: this.jobName,
    }).policies();
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: metadata(this.jobName),
      spec: networkPolicySpec(clickhouseEgress),
    });
  }
}

/**
 * spark-submit arguments for the local-mode session the entry point creates: no secrets here (the runner sets both
 * catalogs' credentials, and the ClickHouse catalog, from the plan and the Secret-backed variables).
 */
function submitArgs(props: ClickHouseOffloadProps, cores: number, heapMiB: number): string {
  const conf: Record<string, string> = {
    ...SPARK_RPC_SECURITY_CONF,
    'spark.sql.session.timeZone': 'UTC',
    'spark.local.dir': '/tmp/spark',
    'spark.ui.enabled': 'false',
    ...polarisCatalogConf({ warehouse: props.catalog.name, realm: props.catalog.realm }),
  };
  const confArgs = Object.entries(conf).map(([key, value]) => `--conf '${key}=${value}'`);
  return [`--master local[${cores}]`, `--driver-memory ${heapMiB}m`, ...confArgs, 'pyspark-shell'].join(' ');
}
