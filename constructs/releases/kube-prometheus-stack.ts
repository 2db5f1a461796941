import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AMP_WORKSPACE_ARN, checkResources, count, MonitoringStackConfig, Problems, VERSIONS } from '../../config';
import { ContainerResources } from '../../config';
import { MONITORING, SYSTEM_NODE_LABEL, SYSTEM_NODE_TOLERATION } from '../conventions';
import { childOptions } from './child-options';
import { RELEASE_DEFAULTS } from './defaults';
import { ExtraValues, mergeValues } from './helm-values';
import { pinnedRelease } from './pinned-release';

export interface KubePrometheusStackArgs extends MonitoringStackConfig {
  /**
   * Nodes every component runs on.
   * @default - the system node group (SYSTEM_NODE_LABEL)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Chart values deep-merged over the typed ones, for settings this interface does not cover.
   * @default - none
   */
  readonly extraValues?: ExtraValues;
}

type NodeSelector = Readonly<Record<string, string>>;
type Tolerations = readonly { readonly key: string; readonly operator: string; readonly effect: string }[];

/** The subset of the kube-prometheus-stack 88.3.0 chart values this component sets. */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: boolean };
  /** Off: a DaemonSet on every (Spark) node, and no alert of this package reads node metrics. */
  readonly nodeExporter: { readonly enabled: boolean };
  readonly prometheusOperator: {
    readonly resources: ContainerResources;
    readonly nodeSelector: NodeSelector;
    readonly tolerations: Tolerations;
    readonly admissionWebhooks: {
      readonly patch: { readonly nodeSelector: NodeSelector; readonly tolerations: Tolerations };
    };
  };
  readonly prometheus: {
    readonly serviceAccount: { readonly create: boolean; readonly name: string };
    readonly prometheusSpec: {
      readonly replicas: number;
      readonly retention: string;
      readonly resources: ContainerResources;
      readonly nodeSelector: NodeSelector;
      readonly tolerations: Tolerations;
      /** Monitors and rules are selected by the release label (the chart's default, spelled out). */
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly storageSpec: {
        readonly volumeClaimTemplate: {
          readonly spec: {
            readonly accessModes: readonly string[];
            readonly resources: { readonly requests: { readonly storage: string } };
          };
        };
      };
      readonly remoteWrite: readonly { readonly url: string; readonly sigv4: { readonly region: string } }[];
    };
  };
  readonly alertmanager: {
    readonly alertmanagerSpec: {
      readonly replicas: number;
      readonly resources: ContainerResources;
      readonly nodeSelector: NodeSelector;
      readonly tolerations: Tolerations;
    };
  };
  readonly grafana: {
    readonly resources: ContainerResources;
    readonly nodeSelector: NodeSelector;
    readonly tolerations: Tolerations;
    readonly sidecar: {
      readonly dashboards: {
        readonly enabled: boolean;
        readonly label: string;
        readonly labelValue: string;
        readonly searchNamespace: string;
      };
    };
  };
  readonly 'kube-state-metrics': {
    readonly resources: ContainerResources;
    readonly nodeSelector: NodeSelector;
    readonly tolerations: Tolerations;
  };
}

/** The remote-write endpoint of an AMP workspace and the region its SigV4 signature is for. */
export function ampRemoteWrite(workspaceArn: string): { url: string; sigv4: { region: string } } {
  const match = AMP_WORKSPACE_ARN.exec(workspaceArn);
  if (!match) throw new Error(`not an AMP workspace ARN: ${JSON.stringify(workspaceArn)}`);
  const [, region, , id] = match;
  return {
    url: `https://aps-workspaces.${region}.amazonaws.com/workspaces/${id}/api/v1/remote_write`,
    sigv4: { region },
  };
}

/**
 * The chart values for the environment's `monitoring.stack` settings (free of Pulumi's resources, so tests and
 * `npm run report` read the same values the release is installed with).
 */
export function kubePrometheusStackValues(args: KubePrometheusStackArgs = {}): KubePrometheusStackValues {
  const d = RELEASE_DEFAULTS.monitoring;
  const nodeSelector = args.nodeSelector ?? { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value };
  // The system nodes are tainted: every component tolerates the taint it is scheduled onto.
  const tolerations = [{ ...SYSTEM_NODE_TOLERATION }];
  const p = args.prometheus ?? {};
  const problems = new Problems('KubePrometheusStack');
  const a = {
    prometheusReplicas: p.replicas ?? d.prometheus.replicas,
    alertmanagerReplicas: args.alertmanager?.replicas ?? d.alertmanager.replicas,
  };
  for (const key of ['prometheusReplicas', 'alertmanagerReplicas'] as const) {
    problems.check(count(1).safeParse(a[key]).success, key, a[key], 'a whole number >= 1');
  }
  const resources = {
    prometheus: p.resources ?? d.prometheus.resources,
    alertmanager: args.alertmanager?.resources ?? d.alertmanager.resources,
    grafana: args.grafana?.resources ?? d.grafana.resources,
    operator: args.operator?.resources ?? d.operator.resources,
    kubeStateMetrics: args.kubeStateMetrics?.resources ?? d.kubeStateMetrics.resources,
  };
  for (const [key, value] of Object.entries(resources)) checkResources(problems, `${key}.resources`, value);
  const arn = args.remoteWrite?.workspaceArn;
  if (arn !== undefined) {
    problems.check(AMP_WORKSPACE_ARN.test(arn), 'remoteWrite.workspaceArn', arn, 'an AMP workspace ARN');
  }
  problems.throwIfAny();
  const typed: KubePrometheusStackValues = {
    crds: { enabled: true },
    nodeExporter: { enabled: false },
    prometheusOperator: {
      resources: resources.operator,
      nodeSelector,
      tolerations,
      admissionWebhooks: { patch: { nodeSelector, tolerations } },
    },
    prometheus: {
      serviceAccount: { create: true, name: MONITORING.prometheusServiceAccount },
      prometheusSpec: {
        replicas: a.prometheusReplicas,
        retention: p.retention ?? d.prometheus.retention,
        resources: resources.prometheus,
        nodeSelector,
        tolerations,
        podMonitorSelectorNilUsesHelmValues: true,
        serviceMonitorSelectorNilUsesHelmValues: true,
        ruleSelectorNilUsesHelmValues: true,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: p.storage ?? d.prometheus.storage } },
            },
          },
        },
        // Prometheus signs with the AWS SDK's default chain, which reads the Pod Identity agent's credentials.
        remoteWrite: arn === undefined ? [] : [ampRemoteWrite(arn)],
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: a.alertmanagerReplicas,
        resources: resources.alertmanager,
        nodeSelector,
        tolerations,
      },
    },
    grafana: {
      resources: resources.grafana,
      nodeSelector,
      tolerations,
      sidecar: {
        dashboards: {
          enabled: true,
          label: MONITORING.dashboardLabel.key,
          labelValue: MONITORING.dashboardLabel.value,
          searchNamespace: 'ALL',
        },
      },
    },
    'kube-state-metrics': { resources: resources.kubeStateMetrics, nodeSelector, tolerations },
  };
  return mergeValues(typed, args.extraValues);
}

/**
 * kube-prometheus-stack (chart from VERSIONS, Prometheus Operator v0.93.0 and its CRDs): Prometheus, Alertmanager,
 * Grafana and kube-state-metrics on the system nodes, Prometheus selecting the monitors and rules labelled with the
 * release, Grafana loading every ConfigMap labelled `grafana_dashboard`, and an optional SigV4 remote write to Amazon
 * Managed Service for Prometheus. Install it before the monitoring layer, whose objects need its CRDs.
 */
export class KubePrometheusStack extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:releases:KubePrometheusStack';
  public readonly values: KubePrometheusStackValues;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: KubePrometheusStackArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(KubePrometheusStack.TYPE, name, {}, opts);
    this.values = kubePrometheusStackValues(args);
    this.release = pinnedRelease(
      `${name}-release`,
      {
        chart: {
          chart: 'kube-prometheus-stack',
          version: VERSIONS.monitoring.chart,
          repository: VERSIONS.monitoring.chartRepository,
        },
        releaseName: MONITORING.release,
        namespace: MONITORING.namespace,
        values: this.values,
      },
      childOptions(this, opts),
    );
    this.registerOutputs({ status: this.release.status });
  }
}
