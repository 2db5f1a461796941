import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { checkResources, ContainerResources, count, DNS_LABEL, Problems, VERSIONS } from '../../config';
import { PLATFORM_PRIORITY_CLASS, SYSTEM_NODE_LABEL, SYSTEM_NODE_TOLERATION } from '../conventions';
import { PLATFORM_RELEASES } from '../platform/platform-releases';
import { childOptions } from './child-options';
import { ExtraValues, ImageRef, mergeValues, splitImage } from './helm-values';
import { pinnedRelease } from './pinned-release';
import { Toleration } from './spark-operator';
import { RELEASE_DEFAULTS } from './defaults';

export interface YunikornArgs {
  /** Namespaces whose pods the admission controller sends to YuniKorn: the tenants'. No other namespace is touched. */
  readonly tenantNamespaces: readonly string[];
  /**
   * Scheduler requests and limits.
   * @default - 200m / 1Gi requested, 2 CPU / 2Gi limit
   */
  readonly schedulerResources?: ContainerResources;
  /**
   * Admission controller replicas.
   * @default 1
   */
  readonly admissionControllerReplicas?: number;
  /**
   * Admission controller requests and limits.
   * @default - 100m / 500Mi requested, 500m / 500Mi limit (the chart's)
   */
  readonly admissionControllerResources?: ContainerResources;
  /**
   * Nodes the scheduler and admission controller run on.
   * @default - the system node group (SYSTEM_NODE_LABEL)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Chart values deep-merged over the typed ones, for settings this interface does not cover.
   * @default - none
   */
  readonly extraValues?: ExtraValues;
}

/** Keys of the `yunikorn-defaults` ConfigMap this component sets (queues come from `yunikorn-configs`, which Helm never touches). */
export interface YunikornDefaults {
  readonly 'service.placeholderImage': string;
  /** Comma-separated anchored regexes of the tenant namespaces. */
  readonly 'admissionController.filtering.processNamespaces': string;
  readonly 'admissionController.filtering.bypassNamespaces': string;
  /**
   * `true`: the admission controller leaves `yunikorn.apache.org/user.info` to the pods. It would otherwise stamp the
   * requesting user (`system:serviceaccount:…`, which no ACL can name) and refuse pods whose creator did not set it;
   * the tenants' admission policies pin the annotation to the pod's own service account instead.
   */
  readonly 'admissionController.accessControl.bypassAuth': 'true';
}

/** The subset of the yunikorn 1.8.0 chart values this component sets. */
export interface YunikornValues {
  readonly image: ImageRef;
  readonly web: { readonly image: ImageRef };
  readonly resources: ContainerResources;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly priorityClassName: string;
  readonly embedAdmissionController: boolean;
  readonly admissionController: {
    readonly image: ImageRef;
    readonly replicaCount: number;
    readonly resources: ContainerResources;
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly tolerations: readonly Toleration[];
    readonly priorityClassName: string;
  };
  readonly yunikornDefaults: YunikornDefaults;
}

const DEFAULTS = {
  ...RELEASE_DEFAULTS.yunikorn,
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
};

/** Webhook configurations the admission controller creates at run time (k8shim `pkg/admission/webhook_manager.go`). */
export const YUNIKORN_RUNTIME_WEBHOOKS = {
  mutating: 'yunikorn-admission-controller-mutations',
  validating: 'yunikorn-admission-controller-validations',
} as const;

/**
 * Apache YuniKorn (chart and images from VERSIONS) with its admission controller limited to the tenant namespaces and the
 * gang-scheduling placeholder image pinned. Queues come from the tenancy layer's `yunikorn-configs` ConfigMap.
 *
 * The admission controller registers its own Mutating/ValidatingWebhookConfiguration at start-up, outside Helm, so
 * `helm uninstall` would leave them behind, pointing at a Service that no longer exists. This component therefore creates
 * both objects first, empty: the controller finds and fills them (it updates an existing configuration that does not
 * match), and since the release depends on them, Pulumi deletes them after the release on removal.
 */
export class Yunikorn extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:releases:Yunikorn';
  public readonly values: YunikornValues;
  public readonly release: k8s.helm.v3.Release;
  /** The run-time webhook configurations, owned by Pulumi so they are removed with YuniKorn. */
  public readonly webhookConfigurations: readonly [
    k8s.admissionregistration.v1.MutatingWebhookConfiguration,
    k8s.admissionregistration.v1.ValidatingWebhookConfiguration,
  ];

  constructor(name: string, args: YunikornArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Yunikorn.TYPE, name, {}, opts);
    const a = {
      schedulerResources: args.schedulerResources ?? DEFAULTS.schedulerResources,
      admissionControllerReplicas: args.admissionControllerReplicas ?? DEFAULTS.admissionControllerReplicas,
      admissionControllerResources: args.admissionControllerResources ?? DEFAULTS.admissionControllerResources,
      nodeSelector: args.nodeSelector ?? DEFAULTS.nodeSelector,
    };
    const problems = new Problems(`Yunikorn ${name}`);
    problems.check(
      args.tenantNamespaces.length > 0,
      'tenantNamespaces',
      args.tenantNamespaces,
      'at least one namespace (an empty filter would process every namespace)',
    );
    args.tenantNamespaces.forEach((ns, i) =>
      problems.check(DNS_LABEL.test(ns), `tenantNamespaces[${i}]`, ns, 'a namespace name (DNS label)'),
    );
    problems.check(
      count(1).safeParse(a.admissionControllerReplicas).success,
      'admissionControllerReplicas',
      a.admissionControllerReplicas,
      'a whole number >= 1',
    );
    for (const key of ['schedulerResources', 'admissionControllerResources'] as const)
      checkResources(problems, key, a[key]);
    problems.throwIfAny();

    const typed: YunikornValues = {
      image: splitImage(VERSIONS.yunikorn.schedulerImage),
      web: { image: splitImage(VERSIONS.yunikorn.webImage) },
      resources: a.schedulerResources,
      nodeSelector: a.nodeSelector,
      tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
      priorityClassName: PLATFORM_PRIORITY_CLASS.name,
      embedAdmissionController: true,
      admissionController: {
        image: splitImage(VERSIONS.yunikorn.admissionImage),
        replicaCount: a.admissionControllerReplicas,
        resources: a.admissionControllerResources,
        nodeSelector: a.nodeSelector,
        tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
        priorityClassName: PLATFORM_PRIORITY_CLASS.name,
      },
      yunikornDefaults: {
        'service.placeholderImage': VERSIONS.yunikorn.placeholderImage,
        'admissionController.filtering.processNamespaces': args.tenantNamespaces.map((ns) => `^${ns}$`).join(','),
        'admissionController.filtering.bypassNamespaces': '^kube-system$',
        'admissionController.accessControl.bypassAuth': 'true',
      },
    };
    this.values = mergeValues(typed, args.extraValues);

    const metadata = (webhookName: string) => ({ name: webhookName, labels: { app: 'yunikorn' } });
    this.webhookConfigurations = [
      new k8s.admissionregistration.v1.MutatingWebhookConfiguration(
        `${name}-mutations`,
        { metadata: metadata(YUNIKORN_RUNTIME_WEBHOOKS.mutating) },
        childOptions(this, opts),
      ),
      new k8s.admissionregistration.v1.ValidatingWebhookConfiguration(
        `${name}-validations`,
        { metadata: metadata(YUNIKORN_RUNTIME_WEBHOOKS.validating) },
        childOptions(this, opts),
      ),
    ];
    this.release = pinnedRelease(
      `${name}-release`,
      {
        chart: { chart: 'yunikorn', version: VERSIONS.yunikorn.chart, repository: VERSIONS.yunikorn.chartRepository },
        releaseName: PLATFORM_RELEASES.yunikorn.release,
        namespace: PLATFORM_RELEASES.yunikorn.namespace,
        values: this.values,
      },
      childOptions(this, opts, ...this.webhookConfigurations),
    );
    this.registerOutputs({ status: this.release.status });
  }
}
