import { Construct } from 'constructs';
import { Problems } from '../../config';
import { JobPlan, PlanStep } from '../../jobs/plan';
import { GangScheduling, ResourceProfileName, SparkDemand, SparkResources } from './resource-profiles';
import { addSparkJobObjects, prepareSparkApplication } from './spark-application';

/** The Polaris catalog a job uses. */
export interface SparkJobCatalog {
  /** Polaris catalog name (the Iceberg `warehouse`). */
  readonly warehouse: string;
  /** Polaris realm, sent as the `Polaris-Realm` header. */
  readonly realm: string;
  /**
   * Base URL of the Iceberg REST API.
   * @default - polarisCatalogUri(), the in-cluster Polaris service
   */
  readonly uri?: string;
  /**
   * OAuth scope requested with the client credentials.
   * @default 'PRINCIPAL_ROLE:ALL'
   */
  readonly scope?: string;
}

/** A ClickHouse server a job reads, registered as the Spark catalog `clickhouse`. */
export interface SparkJobClickHouse {
  /** Host of its HTTP(S) interface. */
  readonly host: string;
  readonly port: number;
  /** `https` turns on TLS in the connector. */
  readonly protocol: 'http' | 'https';
  /** Default database of the catalog. */
  readonly database: string;
  /** Secret in the tenant namespace with the user and password. */
  readonly credentialsSecret: { readonly name: string; readonly userKey: string; readonly passwordKey: string };
  /** CIDR blocks of the ClickHouse hosts: the job's pods get egress to them (the tenant namespace denies the rest). */
  readonly cidrs: readonly string[];
}

/** Props of {@link SparkJob}; {@link ScheduledSparkJob} takes the same plus a schedule. */
export interface SparkJobProps {
  /** Tenant the job runs for: its namespace, service accounts, Polaris credentials Secret and YuniKorn queue. */
  readonly tenant: string;
  /**
   * Object name: a DNS-1035 label of at most 63 characters (43 for scheduled jobs).
   * @default - the construct id
   */
  readonly name?: string;
  /** Job image with the runner (`jobs.image` of the environment); a pinned tag or digest. */
  readonly image: string;
  /** What the job does: the job-plan steps the runner executes, in order. */
  readonly steps: readonly PlanStep[];
  /** The Polaris catalog (from the environment's `catalog`). */
  readonly catalog: SparkJobCatalog;
  /** Bucket receiving the Spark event logs (the environment's `storage.eventLogBucket`). */
  readonly eventLogBucket: string;
  /**
   * The ClickHouse server the steps read, when they read one; its credentials come from its Secret.
   * @default - the job does not connect to ClickHouse
   */
  readonly clickhouse?: SparkJobClickHouse;
  /**
   * A resource profile. Mutually exclusive with `resources`.
   * @default 'batch-etl' (when `resources` is not given either)
   */
  readonly profile?: ResourceProfileName;
  /**
   * Explicit resources instead of a profile; such jobs run at batch priority unless `priorityClassName` says otherwise.
   * @default - the profile's resources
   */
  readonly resources?: SparkResources;
  /**
   * YuniKorn gang scheduling: on with a placeholder timeout and style, or off. Its placeholders count in the tenant
   * budget check (see `peakDemand`).
   * @default - the profile's; Soft with a 300 s timeout for explicit `resources`
   */
  readonly gangScheduling?: GangScheduling;
  /**
   * PriorityClass of the driver and executor pods.
   * @default - the interactive class for the `interactive` profile, the batch class otherwise
   */
  readonly priorityClassName?: string;
  /**
   * Retries after a failed run (and after a failed submission) before the application is marked failed.
   * @default 2
   */
  readonly retries?: number;
  /**
   * Seconds between retries.
   * @default 60
   */
  readonly retryIntervalSeconds?: number;
  /**
   * Extra Spark configuration. Keys the operator denies, keys the construct manages (catalog, event log, resources)
   * and anything holding a credential are rejected.
   * @default - none
   */
  readonly sparkConf?: Readonly<Record<string, string>>;
  /**
   * Node selector for driver and executors alike (app level); replaces the Spark node pools. Mutually exclusive
   * with `driverNodeSelector` and `executorNodeSelector`, as the operator's webhook requires.
   * @default - none: the driver and executor pools are selected per pod
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Node selector of the driver pod.
   * @default - the on-demand Spark driver pool
   */
  readonly driverNodeSelector?: Readonly<Record<string, string>>;
  /**
   * Node selector of the executor pods.
   * @default - the spot Spark executor pool
   */
  readonly executorNodeSelector?: Readonly<Record<string, string>>;
  /**
   * Labels of the object and its pods.
   * @default - the tenant label only
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Spark job run once: a SparkApplication executing a job plan with the generic runner, plus the ConfigMap that
 * carries the plan (and, for jobs that read ClickHouse, a NetworkPolicy letting its pods reach it). Out of the box it
 * talks to Polaris with vended credentials (client credentials from the tenant's Secret, never in the manifest), writes event logs to the event-log bucket, retries on failure, and runs in the
 * tenant's namespace and YuniKorn queue on the Spark node pools.
 */
export class SparkJob extends Construct {
  /** The SparkApplication's name. */
  public readonly name: string;
  /** The resources it requests. */
  public readonly resources: SparkResources;
  /** What it holds at its peak (driver + most executors), for budget checks. */
  public readonly peakDemand: SparkDemand;
  /** The plan the runner executes. */
  public readonly plan: JobPlan;

  constructor(scope: Construct, id: string, props: SparkJobProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const problems = new Problems(this.node.path);
    const app = prepareSparkApplication(problems, this.name, 63, props);
    problems.throwIfAny();

    this.resources = app.resources;
    this.peakDemand = app.peakDemand;
    this.plan = app.plan;
    addSparkJobObjects(this, app, props.clickhouse, {
      kind: 'SparkApplication',
      metadata: app.metadata,
      spec: app.spec,
    });
  }
}
