import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { isQuantity, parseQuantity, Problems, VERSIONS } from '../../config';
import { KARPENTER_SERVICE_ACCOUNT } from '../aws/karpenter-infrastructure';
import {
  NODE_CLASSES,
  NodeClass,
  nodeClassSpec,
  PoolLimits,
  sparkNodePoolSpec,
  SparkPool,
  sparkPoolLimits,
  SystemPoolInputs,
  systemNodePoolSpec,
} from '../aws/karpenter-node-pools';
import { SPARK_NODE_POOLS, SYSTEM_NODE_LABEL, SYSTEM_NODE_POOL } from '../conventions';
import { childOptions } from './child-options';

/** Arguments of {@link Karpenter}. */
export interface KarpenterArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly clusterEndpoint: pulumi.Input<string>;
  /** The interruption queue the infrastructure project created. */
  readonly interruptionQueueName: pulumi.Input<string>;
  /** The node instance profile the infrastructure project created. */
  readonly instanceProfileName: pulumi.Input<string>;
  /** The cluster's node security group. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** Most CPU all Spark nodes together may have (a Kubernetes quantity). */
  readonly maxCpu: string;
  /** Most memory all Spark nodes together may have (a Kubernetes quantity). */
  readonly maxMemory: string;
  /** The environment's system capacity: the system pool adds up to `maxNodes - minNodes` nodes. */
  readonly system: SystemPoolInputs;
  /**
   * Fraction of the Spark capacity reserved for drivers; executors get the rest.
   * @default 0.25
   */
  readonly driverShare?: number;
  /**
   * Root volume of Spark nodes in GiB (shuffle spills here).
   * @default 100
   */
  readonly volumeSizeGi?: number;
  /**
   * Karpenter controller replicas (on distinct nodes of the managed node group).
   * @default 2
   */
  readonly controllerReplicas?: number;
}

/** Root volume of system nodes Karpenter adds, in GiB (like the managed node group's). */
const SYSTEM_VOLUME_GI = 50;

/**
 * Karpenter in the platform project: the `karpenter-crd` chart (Helm upgrades the CRDs with every version bump), the
 * controller chart without its own `crds/` on the managed node group, one EC2NodeClass per kind of node, the Spark
 * NodePools ({@link SPARK_NODE_POOLS}) and the system NodePool. Its AWS side (queue, roles, Pod Identity association)
 * is KarpenterInfrastructure in the infrastructure project, so it exists before the controller starts.
 */
export class Karpenter extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:releases:Karpenter';

  public readonly crds: k8s.helm.v3.Release;
  public readonly release: k8s.helm.v3.Release;
  public readonly nodeClasses: Record<NodeClass, k8s.apiextensions.CustomResource>;
  /** The Spark pools then the system pool; workloads are schedulable once these exist. */
  public readonly nodePools: k8s.apiextensions.CustomResource[];
  public readonly limits: Record<SparkPool, PoolLimits>;

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Karpenter.TYPE, name, {}, opts);
    const driverShare = args.driverShare ?? 0.25;
    const volumeSizeGi = args.volumeSizeGi ?? 100;
    const replicas = args.controllerReplicas ?? 2;
    const problems = new Problems(`${Karpenter.TYPE} ${name}`);
    for (const [key, value, kind] of [
      ['maxCpu', args.maxCpu, 'CPU'],
      ['maxMemory', args.maxMemory, 'memory'],
    ] as const)
      problems.check(isQuantity(value) && parseQuantity(value) > 0, key, value, `a positive ${kind} quantity`);
    problems.check(
      driverShare > 0 && driverShare < 1,
      'driverShare',
      driverShare,
      'a fraction between 0 and 1 (both pools need capacity)',
    );
    problems.check(
      Number.isInteger(volumeSizeGi) && volumeSizeGi >= 20,
      'volumeSizeGi',
      volumeSizeGi,
      'a whole number of GiB >= 20',
    );
    problems.check(Number.isInteger(replicas) && replicas >= 1, 'controllerReplicas', replicas, 'a whole number >= 1');
    problems.check(
      args.system.maxNodes >= args.system.minNodes,
      'system.maxNodes',
      args.system.maxNodes,
      `at least system.minNodes (${args.system.minNodes})`,
    );
    problems.throwIfAny();

    const chart = { version: VERSIONS.karpenter.chart, namespace: KARPENTER_SERVICE_ACCOUNT.namespace };
    this.crds = new k8s.helm.v3.Release(
      `${name}-crd`,
      { name: 'karpenter-crd', chart: VERSIONS.karpenter.crdChartRepository, ...chart, atomic: true },
      childOptions(this, opts),
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-karpenter`,
      {
        name: 'karpenter',
        chart: VERSIONS.karpenter.chartRepository,
        ...chart,
        // The CRDs belong to the karpenter-crd release; the chart's own copies would only be installed once.
        skipCrds: true,
        atomic: true,
        values: {
          // isolatedVPC: no on-demand pricing API calls, so the controller needs no unscoped pricing permission.
          settings: {
            clusterName: args.clusterName,
            clusterEndpoint: args.clusterEndpoint,
            interruptionQueue: args.interruptionQueueName,
            isolatedVPC: true,
          },
          serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT.name },
          replicas,
          // The chart tolerates CriticalAddonsOnly (the system taint) and keeps off Karpenter's own nodes by default.
          nodeSelector: { 'kubernetes.io/os': 'linux', [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
          controller: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } } },
        },
      },
      childOptions(this, opts, this.crds),
    );

    const classOf = (nodeClass: NodeClass, size: number) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${nodeClass}-node-class`,
        {
          apiVersion: 'karpenter.k8s.aws/v1',
          kind: 'EC2NodeClass',
          metadata: { name: NODE_CLASSES[nodeClass] },
          spec: pulumi
            .all([args.clusterName, args.instanceProfileName, args.nodeSecurityGroupId])
            .apply(([clusterName, instanceProfile, securityGroupId]) =>
              nodeClassSpec(nodeClass, { clusterName, instanceProfile, securityGroupId, volumeSizeGi: size }),
            ),
        },
        childOptions(this, opts, this.release),
      );
    this.nodeClasses = { spark: classOf('spark', volumeSizeGi), system: classOf('system', SYSTEM_VOLUME_GI) };
    this.limits = sparkPoolLimits(args.maxCpu, args.maxMemory, driverShare);
    const pool = (id: string, poolName: string, nodeClass: NodeClass, spec: Record<string, unknown>) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${id}-pool`,
        { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: poolName }, spec },
        childOptions(this, opts, this.release, this.nodeClasses[nodeClass]),
      );
    this.nodePools = [
      ...(Object.keys(SPARK_NODE_POOLS) as SparkPool[]).map((p) =>
        pool(p, SPARK_NODE_POOLS[p].name, 'spark', sparkNodePoolSpec(p, this.limits[p])),
      ),
      pool('system', SYSTEM_NODE_POOL, 'system', systemNodePoolSpec(args.system)),
    ];
    this.registerOutputs({ status: this.release.status });
  }
}
