import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  checkResources,
  ContainerResources,
  count,
  DEFAULT_RUN_TIMESTAMP_PRECISION,
  Problems,
  RUN_TIMESTAMP_DIGITS,
  RunTimestampPrecision,
  VERSIONS,
} from '../../config';
import {
  PLATFORM_PRIORITY_CLASS,
  SCHEDULED_JOB_METRIC_LABEL,
  SPARK_JOB_NAMESPACE_LABEL,
  SYSTEM_NODE_LABEL,
  SYSTEM_NODE_TOLERATION,
  WEBHOOK_PORTS,
} from '../conventions';
import { PLATFORM_RELEASES } from '../platform/platform-releases';
import { childOptions } from './child-options';
import { ExtraValues, mergeValues } from './helm-values';
import { pinnedRelease } from './pinned-release';
import { RELEASE_DEFAULTS } from './defaults';

export interface SparkOperatorArgs {
  /**
   * Controller replicas (leader-elected: one reconciles, the others stand by).
   * @default 1
   */
  readonly controllerReplicas?: number;
  /**
   * Webhook replicas. The webhook fails closed for Spark pods, so more than one keeps submissions working during a drain.
   * @default 1
   */
  readonly webhookReplicas?: number;
  /**
   * Concurrent reconciles of the controller.
   * @default 10
   */
  readonly workers?: number;
  /**
   * Controller requests and limits; each submission runs a spark-submit JVM inside the controller, so memory is generous.
   * @default - 500m / 1Gi requested, 2 CPU / 2Gi limit
   */
  readonly controllerResources?: ContainerResources;
  /**
   * Webhook requests and limits.
   * @default - 100m / 128Mi requested, 500m / 256Mi limit
   */
  readonly webhookResources?: ContainerResources;
  /**
   * Nodes the controller and webhook run on.
   * @default - the system node group (SYSTEM_NODE_LABEL)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Precision of the timestamp the controller appends to the name of each scheduled run
   * (`controller.scheduledSparkApplicationTimestampPrecision`); ScheduledSparkJob's name-length check must use the same.
   * @default 'nanos' (the controller's default)
   */
  readonly runTimestampPrecision?: RunTimestampPrecision;
  /**
   * Chart values deep-merged over the typed ones, for settings this interface does not cover.
   * @default - none
   */
  readonly extraValues?: ExtraValues;
}

/** A toleration as charts take it. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly effect: string;
}

/** Where platform pods run: the system nodes, tolerating their taint, above tenant work. */
interface Placement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly priorityClassName: string;
}

/** The subset of the spark-operator 2.5.2 chart values this component sets. */
export interface SparkOperatorValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string };
  /** The pre-install/pre-upgrade Job that applies the chart's CRDs, so a chart bump upgrades them too. */
  readonly hook: {
    readonly upgradeCrd: boolean;
    readonly image: { readonly registry: string; readonly repository: string; readonly tag: string };
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly tolerations: readonly Toleration[];
  };
  readonly controller: {
    readonly replicas: number;
    readonly workers: number;
    /** No default: an application names `yunikorn` exactly when it wants gang scheduling (the plugin always adds task groups). */
    readonly batchScheduler: { readonly enable: boolean; readonly default: '' };
    readonly resources: ContainerResources;
    readonly scheduledSparkApplicationTimestampPrecision: RunTimestampPrecision;
  } & Placement;
  readonly webhook: {
    readonly enable: boolean;
    readonly replicas: number;
    readonly port: number;
    readonly failurePolicy: 'Fail' | 'Ignore';
    readonly resources: ContainerResources;
  } & Placement;
  readonly spark: {
    /** Empty, so only the selector decides which namespaces the controller watches (the webhook then serves all). */
    readonly jobNamespaces: readonly string[];
    readonly jobNamespaceSelector: string;
    readonly serviceAccount: { readonly create: boolean };
    readonly rbac: { readonly create: boolean };
  };
  readonly prometheus: {
    readonly metrics: {
      readonly enable: boolean;
      readonly port: number;
      /** Application labels copied onto the controller's metrics (`--metrics-labels`). */
      readonly labels: string;
    };
  };
}

const DEFAULTS = {
  ...RELEASE_DEFAULTS.sparkOperator,
  workers: 10,
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
};

/**
 * The Kubeflow Spark Operator (chart and image from VERSIONS), configured for this data plane: the webhook on (it applies
 * volumes, tolerations and node selectors to Spark pods), YuniKorn as the batch scheduler applications may name, job namespaces chosen
 * by SPARK_JOB_NAMESPACE_LABEL so a new tenant needs no Helm change, no chart-made Spark service accounts or RBAC (each
 * tenant owns its own), and Prometheus metrics on.
 */
export class SparkOperator extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:releases:SparkOperator';
  /** The values given to the chart (typed part merged with `extraValues`). */
  public readonly values: SparkOperatorValues;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: SparkOperatorArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(SparkOperator.TYPE, name, {}, opts);
    const a = {
      controllerReplicas: args.controllerReplicas ?? DEFAULTS.controllerReplicas,
      webhookReplicas: args.webhookReplicas ?? DEFAULTS.webhookReplicas,
      workers: args.workers ?? DEFAULTS.workers,
      controllerResources: args.controllerResources ?? DEFAULTS.controllerResources,
      webhookResources: args.webhookResources ?? DEFAULTS.webhookResources,
      nodeSelector: args.nodeSelector ?? DEFAULTS.nodeSelector,
      runTimestampPrecision: args.runTimestampPrecision ?? DEFAULT_RUN_TIMESTAMP_PRECISION,
    };
    const problems = new Problems(`SparkOperator ${name}`);
    for (const key of ['controllerReplicas', 'webhookReplicas', 'workers'] as const) {
      problems.check(count(1).safeParse(a[key]).success, key, a[key], 'a whole number >= 1');
    }
    for (const key of ['controllerResources', 'webhookResources'] as const) checkResources(problems, key, a[key]);
    problems.check(
      Object.hasOwn(RUN_TIMESTAMP_DIGITS, a.runTimestampPrecision),
      'runTimestampPrecision',
      a.runTimestampPrecision,
      `one of ${Object.keys(RUN_TIMESTAMP_DIGITS).join(', ')}`,
    );
    problems.throwIfAny();

    const registryImage = (repository: string) => {
      const [registry, ...path] = repository.split('/');
      return { registry, repository: path.join('/'), tag: VERSIONS.sparkOperator.imageTag };
    };
    const tolerations = [{ ...SYSTEM_NODE_TOLERATION }];
    const placement = { nodeSelector: a.nodeSelector, tolerations, priorityClassName: PLATFORM_PRIORITY_CLASS.name };
    const typed: SparkOperatorValues = {
      image: registryImage(VERSIONS.sparkOperator.image),
      hook: {
        upgradeCrd: true,
        image: registryImage(VERSIONS.sparkOperator.hookImage),
        nodeSelector: a.nodeSelector,
        tolerations,
      },
      controller: {
        replicas: a.controllerReplicas,
        workers: a.workers,
        batchScheduler: { enable: true, default: '' },
        resources: a.controllerResources,
        ...placement,
        scheduledSparkApplicationTimestampPrecision: a.runTimestampPrecision,
      },
      webhook: {
        enable: true,
        replicas: a.webhookReplicas,
        port: WEBHOOK_PORTS.sparkOperator,
        failurePolicy: 'Fail',
        resources: a.webhookResources,
        ...placement,
      },
      spark: {
        jobNamespaces: [],
        jobNamespaceSelector: `${SPARK_JOB_NAMESPACE_LABEL.key}=${SPARK_JOB_NAMESPACE_LABEL.value}`,
        serviceAccount: { create: false },
        rbac: { create: false },
      },
      // Per tenant namespace and scheduled job, so each job's failures and running time can be alerted on.
      prometheus: { metrics: { enable: true, port: 8080, labels: `namespace,${SCHEDULED_JOB_METRIC_LABEL.key}` } },
    };
    this.values = mergeValues(typed, args.extraValues);
    this.release = pinnedRelease(
      `${name}-release`,
      {
        chart: {
          chart: 'spark-operator',
          version: VERSIONS.sparkOperator.chart,
          repository: VERSIONS.sparkOperator.chartRepository,
        },
        releaseName: PLATFORM_RELEASES.sparkOperator.release,
        namespace: PLATFORM_RELEASES.sparkOperator.namespace,
        values: this.values,
      },
      childOptions(this, opts),
    );
    this.registerOutputs({ status: this.release.status });
  }
}
