import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DedupMode,
  isQuantity,
  keyPathText,
  OFFLOAD_DEFAULTS,
  offloadRunProblems,
  parseQuantity,
  Problems,
} from '../../config';
import {
  CLICKHOUSE_CATALOG,
  JOB_RUNNER,
  jobPlan,
  JobPlan,
  OffloadStep,
  PLAN_ENV,
  planClickHouse,
  REFUSAL_EXIT_CODE,
  renderPlan,
  SPARK_CATALOG,
} from '../../jobs/plan';
import {
  BATCH_TIER_LABEL,
  JOB_UID,
  NODE_POOL_LABEL,
  OFFLOAD_POD_LABEL,
  POLARIS_CREDENTIALS_SECRET,
  polarisCatalogUri,
  scheduledJobAnnotations,
  secretEnv,
  SPARK_NODE_POOLS,
  SPARK_NODE_TOLERATION,
  TENANT_JOB_SERVICE_ACCOUNT,
  tenantUserInfo,
  YUNIKORN_USER_INFO,
  TENANT_LABEL,
} from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from '../tenancy/network-allow-rule';

/** Where the offload reads from. */
export interface ClickHouseEndpoint {
  /** Host name of the ClickHouse HTTP(S) interface. */
  readonly host: string;
  /** HTTP(S) port (8123 plain, 8443 TLS). */
  readonly port: number;
  /** `https` turns on TLS in the client. */
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
    /**
     * `final` for engines that merge rows (ReplacingMergeTree and the like): read with FINAL, one row per key.
     * @default 'none'
     */
    readonly dedup?: DedupMode;
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

/** An Iceberg table one offload writes, with what maintenance and the audit of its table group need to know. */
export interface OffloadTarget {
  /** Iceberg namespace. */
  readonly namespace: string;
  /** Iceberg table. */
  readonly table: string;
  /** The ClickHouse table holding its warm rows, `database.table`. */
  readonly warm: string;
  readonly eventTimeColumn: string;
  /** The offload's hourly schedule (UTC) and expected run time in minutes. */
  readonly schedule: string;
  readonly expectedRuntimeMinutes: number;
  readonly lagHours: number;
  readonly allowedLatenessHours: number;
  /** Hours ClickHouse keeps the warm rows. */
  readonly warmRetentionHours: number;
  /** How the warm rows are read (the audit counts the same way). */
  readonly dedup: DedupMode;
  /** Where it is declared, for messages: the environment key path, or the construct path. */
  readonly source: string;
}

/** Props of {@link ClickHouseOffload}. */
export interface ClickHouseOffloadProps {
  /** The tenant (and namespace) the job runs in. */
  readonly tenant: string;
  /** Name of the run within the tenant (e.g. `gold`); the CronJob is `offload-<tenant>-<name>`. */
  readonly name: string;
  /** The writer's image (`jobs/offload.Dockerfile`). */
  readonly image: string;
  /** Hourly cron `<minute> * * * *`, in UTC; the exactly-once windows assume one run per hour. */
  readonly schedule: string;
  /** The ClickHouse server. */
  readonly clickhouse: ClickHouseEndpoint;
  /**
   * The Polaris catalog (the Iceberg `warehouse`), its realm, and how the job reaches it.
   * `uri` defaults to the in-cluster Polaris service, `scope` to `PRINCIPAL_ROLE:ALL`.
   */
  readonly catalog: { readonly name: string; readonly realm: string; readonly uri?: string; readonly scope?: string };
  /** Tables offloaded by this run; each is committed on its own, so one table's failure never holds up another. */
  readonly tables: readonly OffloadTable[];
  /**
   * Whole hours between the end of an hour and its first offload, so inserts in flight are included.
   * @default OFFLOAD_DEFAULTS.lagHours (1)
   */
  readonly lagHours?: number;
  /**
   * Longest outage (hours without a successful run) the job catches up by itself; an older watermark stops the run.
   * @default OFFLOAD_DEFAULTS.outageToleranceHours (24)
   */
  readonly outageToleranceHours?: number;
  /**
   * Most hours one run catches up beyond the lateness window (at least 2, so a run gains on the clock).
   * @default OFFLOAD_DEFAULTS.maxCatchUpHours (6)
   */
  readonly maxCatchUpHours?: number;
  /**
   * CPU and memory requests of the run's one pod; memory is also its limit (the writer holds one hour in memory).
   * @default CLICKHOUSE_OFFLOAD_DEFAULTS.resources ({ cpu: '250m', memory: '512Mi' })
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /**
   * Seconds a run may start late before the hour's run is skipped (the next run catches the hour up).
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Seconds after which a run is killed; shorter than the hour so runs never pile up behind Forbid.
   * @default 1800
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Expected run time in whole minutes, published for the report and the schedule-conflict checks.
   * @default OFFLOAD_DEFAULTS.expectedRuntimeMinutes (2)
   */
  readonly expectedRuntimeMinutes?: number;
  /**
   * Pod retries within one run for transient failures; a retry rewrites the same hours. A refusal for data safety
   * (exit code REFUSAL_EXIT_CODE) fails the Job at once.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Where the run is declared (e.g. `offload.runs[0]`), named in the targets' messages.
   * @default - the construct path
   */
  readonly configPath?: string;
}

/** Defaults of {@link ClickHouseOffload} beyond the timing defaults it shares with the schema (OFFLOAD_DEFAULTS). */
export const CLICKHOUSE_OFFLOAD_DEFAULTS = {
  /** The ADR's tier-1 shape: a quarter core; 512 MiB holds one hour of raw_trades (npm run bench). */
  resources: { cpu: '250m', memory: '512Mi' },
  /** Parquet encoding may burst above the request; the limit keeps one run off a whole core. */
  cpuLimit: '1',
  // 10 s (the L2 default) skips a run on any controller hiccup; 5 min absorbs controller restarts and node scale-up
  // while staying far from the next hour, and a skipped run costs nothing because the next one catches up.
  startingDeadlineSeconds: 300,
  activeDeadlineSeconds: 1800,
  backoffLimit: 2,
  catalogScope: 'PRINCIPAL_ROLE:ALL',
} as const;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Hourly ClickHouse → Iceberg offload of one group of tables (ADR-006 tier 1): a CronJob whose one pod runs the
 * JVM-free writer (`python -m dataplane_job.offload`, pyiceberg over Polaris REST with vended credentials), its plan in
 * a ConfigMap, and a network policy letting only these pods reach ClickHouse. The Job retries transient failures and
 * fails at once on a refusal for data safety (podFailurePolicy on REFUSAL_EXIT_CODE). The CronJob is the default child
 * (`Resource`).
 */
export class ClickHouseOffload extends Construct {
  /** The CronJob name, `offload-<tenant>-<name>`. */
  public readonly jobName: string;
  /** The hourly schedule, in UTC. */
  public readonly schedule: string;
  /** Expected run time in whole minutes (the expected-runtime annotation). */
  public readonly expectedRuntimeMinutes: number;
  /** The ClickHouse server it reads. */
  public readonly clickhouse: ClickHouseEndpoint;
  /** The Iceberg tables it writes, in plan order. */
  public readonly targets: readonly OffloadTarget[];
  /** The plan its pod runs. */
  public readonly plan: JobPlan;

  constructor(scope: Construct, id: string, props: ClickHouseOffloadProps) {
    super(scope, id);
    const d = CLICKHOUSE_OFFLOAD_DEFAULTS;
    const lagHours = props.lagHours ?? OFFLOAD_DEFAULTS.lagHours;
    const outageToleranceHours = props.outageToleranceHours ?? OFFLOAD_DEFAULTS.outageToleranceHours;
    const maxCatchUpHours = props.maxCatchUpHours ?? OFFLOAD_DEFAULTS.maxCatchUpHours;
    const resources = props.resources ?? d.resources;
    const startingDeadlineSeconds = props.startingDeadlineSeconds ?? d.startingDeadlineSeconds;
    const activeDeadlineSeconds = props.activeDeadlineSeconds ?? d.activeDeadlineSeconds;
    const backoffLimit = props.backoffLimit ?? d.backoffLimit;
    const expectedRuntimeMinutes = props.expectedRuntimeMinutes ?? OFFLOAD_DEFAULTS.expectedRuntimeMinutes;
    this.jobName = `offload-${props.tenant}-${props.name}`;
    this.schedule = props.schedule;
    this.expectedRuntimeMinutes = expectedRuntimeMinutes;
    this.clickhouse = props.clickhouse;

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
      whole(maxCatchUpHours, 2),
      'maxCatchUpHours',
      maxCatchUpHours,
      'a whole number of hours >= 2 (a run must catch up faster than the clock moves)',
    );
    problems.check(
      isQuantity(resources.cpu) && parseQuantity(resources.cpu) > 0,
      'resources.cpu',
      resources.cpu,
      'a CPU quantity such as 250m',
    );
    problems.check(
      isQuantity(resources.memory) && parseQuantity(resources.memory) >= 256 * 2 ** 20,
      'resources.memory',
      resources.memory,
      'a memory quantity of at least 256Mi (the writer holds one hour in Arrow)',
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
    props.tables.forEach(({ source, target }, i) => {
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
      problems.check(whole(source.ttlHours, 1), `${at}.source.ttlHours`, source.ttlHours, 'a whole number >= 1');
    });
    // The schedule, TTL, partition-spec and one-writer rules are the environment schema's (one source of each rule).
    const rules = offloadRunProblems(
      { schedule: props.schedule, tables: props.tables.map((t) => ({ ...t.source, target: t.target })) },
      { lagHours, outageToleranceHours },
    );
    for (const p of rules) {
      const key = keyPathText(p.path).replace(/^(tables\[\d+\])\.(ttlHours)$/, '$1.source.$2');
      problems.add(key, p.value, p.expected);
    }
    problems.throwIfAny();

    const declaredAt = props.configPath ?? this.node.path;
    this.targets = props.tables.map(({ source, target }, i) => ({
      namespace: target.namespace,
      table: target.table,
      warm: `${source.database}.${source.table}`,
      eventTimeColumn: source.eventTimeColumn,
      schedule: props.schedule,
      expectedRuntimeMinutes,
      lagHours,
      allowedLatenessHours: source.allowedLatenessHours,
      warmRetentionHours: source.ttlHours,
      dedup: source.dedup ?? OFFLOAD_DEFAULTS.dedup,
      source: `${declaredAt}.tables[${i}]`,
    }));
    const steps: OffloadStep[] = this.targets.map((t) => ({
      type: 'offload',
      source: `${CLICKHOUSE_CATALOG}.${t.warm}`,
      target: `${SPARK_CATALOG}.${t.namespace}.${t.table}`,
      eventTimeColumn: t.eventTimeColumn,
      lagHours,
      allowedLatenessHours: t.allowedLatenessHours,
      outageToleranceHours,
      maxCatchUpHours,
      ttlHours: t.warmRetentionHours,
      dedup: t.dedup,
    }));
    this.plan = jobPlan(
      { name: this.jobName, tenant: props.tenant },
      steps,
      planClickHouse({ ...props.clickhouse, database: props.tables[0].source.database }),
      {
        uri: props.catalog.uri ?? polarisCatalogUri(),
        warehouse: props.catalog.name,
        scope: props.catalog.scope ?? d.catalogScope,
        realm: props.catalog.realm,
      },
    );

    const labels = {
      [TENANT_LABEL]: props.tenant,
      [OFFLOAD_POD_LABEL.key]: OFFLOAD_POD_LABEL.value,
      'dataplane.io/offload': props.name,
      [BATCH_TIER_LABEL]: '1',
    };
    const metadata = (name: string) => ({ name, namespace: props.tenant, labels });
    const planMap = new k8s.KubeConfigMap(this, 'Plan', {
      metadata: metadata(`${this.jobName}-plan`),
      immutable: true,
      data: { [JOB_RUNNER.planFile]: renderPlan(this.plan) },
    });
    const requests = {
      cpu: k8s.Quantity.fromString(resources.cpu),
      memory: k8s.Quantity.fromString(resources.memory),
    };
    const limits = { cpu: k8s.Quantity.fromString(d.cpuLimit), memory: requests.memory };

    new k8s.KubeCronJob(this, 'Resource', {
      metadata: { ...metadata(this.jobName), annotations: scheduledJobAnnotations(this.plan, expectedRuntimeMinutes) },
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
            // A refusal for data safety would refuse again (or must not be retried); anything else is retried.
            podFailurePolicy: {
              rules: [
                {
                  action: 'FailJob',
                  onExitCodes: { containerName: 'offload', operator: 'In', values: [REFUSAL_EXIT_CODE] },
                  // Required by the 1.28 API (optional from 1.29); empty: the rule matches on the exit code alone.
                  onPodConditions: [],
                },
              ],
            },
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
                // The writer talks to ClickHouse and Polaris only, never to the Kubernetes API.
                automountServiceAccountToken: false,
                // podFailurePolicy requires Never: a restarted container would hide the exit code from the Job.
                restartPolicy: 'Never',
                nodeSelector: { [NODE_POOL_LABEL]: SPARK_NODE_POOLS.driver.name },
                tolerations: [{ ...SPARK_NODE_TOLERATION }],
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: JOB_UID,
                  runAsGroup: JOB_UID,
                  fsGroup: JOB_UID,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'offload',
                    image: props.image,
                    command: ['python3', '-m', 'dataplane_job.offload', `${JOB_RUNNER.planDir}/${JOB_RUNNER.planFile}`],
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
                    ],
                    resources: { requests, limits },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    volumeMounts: [
                      { name: 'plan', mountPath: JOB_RUNNER.planDir, readOnly: true },
                      { name: 'scratch', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'plan', configMap: { name: planMap.metadata.name! } },
                  { name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
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
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(this.jobName),
      spec: networkPolicySpec(clickhouseEgress),
    });
  }
}
