import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { isQuantity, parseQuantity, Problems, TenantBudgetSchema, TenantConfig, wholeMillicores } from '../../config';
import {
  PLATFORM_NAMESPACES,
  TENANT_SUBMITTING_SERVICE_ACCOUNTS,
  tenantQueue,
  tenantSchedulingIdentity,
  TENANTS_PARENT_QUEUE,
  YUNIKORN_CONFIG_MAP,
} from '../conventions';
import {
  formatQueueConfigProblem,
  QueueConfig,
  queueIsolationProblems,
  SchedulerConfig,
  TenantSubmitter,
  validateSchedulerConfig,
} from '../../validation/yunikorn-queue-validator';
import { VCORE } from '../../validation/yunikorn-resource';

/** Defaults of {@link YunikornQueueConfig}. */
export const YUNIKORN_QUEUE_CONFIG_DEFAULTS = { namespace: PLATFORM_NAMESPACES.yunikorn } as const;

/** Props of {@link YunikornQueueConfig}. */
export interface YunikornQueueConfigProps {
  /** Every tenant: each gets a leaf queue under root.tenants, sized by its budget. */
  readonly tenants: readonly Pick<TenantConfig, 'name' | 'budget'>[];
  /** The environment's declared Spark capacity (`capacity.spark`): the max of root.tenants. */
  readonly capacity: { readonly maxCpu: string; readonly maxMemory: string };
  /**
   * Namespace YuniKorn is installed in (it reads the ConfigMap from its own namespace).
   * @default PLATFORM_NAMESPACES.yunikorn
   */
  readonly namespace?: string;
}

/**
 * YuniKorn's `yunikorn-configs` ConfigMap, generated from all tenants. Its `queues.yaml` has partition `default`,
 * `root` -> `tenants` (max = the declared Spark capacity) -> one leaf per tenant (max = budget, guaranteed =
 * budget.guaranteed), and placement rules that honour an explicit queue (`provided`, existing leaves only) and
 * otherwise place by namespace under root.tenants (existing leaves only).
 *
 * Only a leaf's own ACL admits anyone: it names the users of the tenant's submitting service accounts
 * ({@link tenantSchedulingIdentity}, which the tenant's admission policy pins on its pods), and no parent has an ACL.
 * A pod naming another tenant's queue is refused there and YuniKorn moves on to the namespace rule, so it lands in its
 * own queue. The configuration is checked with YuniKorn's own rules, and for isolation, before the ConfigMap is
 * created.
 *
 * The other keys YuniKorn needs (`service.placeholderImage`, the admission controller's `processNamespaces` limited to
 * the tenant namespaces) are set once, in `yunikorn-defaults` through the release's Helm values
 * (constructs/releases/yunikorn.ts); this ConfigMap overrides `yunikorn-defaults`, so repeating them here would
 * silently win over any later change there.
 */
export class YunikornQueueConfig extends Construct {
  /** The queue configuration, as written to `queues.yaml`. */
  public readonly config: SchedulerConfig;
  /** The rendered `queues.yaml`. */
  public readonly queuesYaml: string;

  constructor(scope: Construct, id: string, props: YunikornQueueConfigProps) {
    super(scope, id);
    const problems = new Problems(this.node.path);
    queueConfigProblems(props).forEach((line) => problems.note(line));
    problems.throwIfAny();

    this.config = buildQueuesConfig(props);
    this.queuesYaml = stringify(this.config, { lineWidth: 0 });
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: YUNIKORN_CONFIG_MAP.name,
        namespace: props.namespace ?? YUNIKORN_QUEUE_CONFIG_DEFAULTS.namespace,
      },
      data: { [YUNIKORN_CONFIG_MAP.queuesKey]: this.queuesYaml },
    });
  }
}

/**
 * Everything wrong with the tenants as a queue configuration, one line each, naming the tenant: budgets YuniKorn
 * cannot express, then the YuniKorn validator's findings on the generated configuration.
 */
export function queueConfigProblems(props: Pick<YunikornQueueConfigProps, 'tenants' | 'capacity'>): string[] {
  const lines: string[] = [];
  if (props.tenants.length === 0)
    lines.push(`'tenants' is empty; expected at least one tenant (${TENANTS_PARENT_QUEUE} needs a leaf queue)`);
  props.tenants.forEach((tenant, index) => {
    const parsed = TenantBudgetSchema.safeParse(tenant.budget);
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      lines.push(`tenant '${tenant.name}' (tenants[${index}].budget.${issue.path.join('.')}): ${issue.message}`);
    }
  });
  for (const [key, value] of Object.entries(props.capacity)) {
    if (wholeMillicoresOrBytes(key === 'maxCpu' ? 'cpu' : 'memory', value) === undefined) {
      lines.push(
        `'capacity.${key}' is ${JSON.stringify(value)}; expected a quantity of whole ${key === 'maxCpu' ? 'millicores' : 'bytes'}`,
      );
    }
  }
  if (lines.length > 0) return lines;
  const tenantOf = new Map(
    props.tenants.map((t, i) => [`${TENANTS_PARENT_QUEUE}.${t.name}`, `tenant '${t.name}' (tenants[${i}])`]),
  );
  const config = buildQueuesConfig(props);
  return [
    ...validateSchedulerConfig(config).map((problem) => {
      const tenant = problem.queue && tenantOf.get(problem.queue);
      return tenant ? `${tenant}: ${formatQueueConfigProblem(problem)}` : formatQueueConfigProblem(problem);
    }),
    ...queueIsolationProblems(
      config,
      props.tenants.map((t) => tenantSubmitter(t.name)),
    ),
  ];
}

/** A tenant's namespace, leaf queue and the identities its pods start applications with. */
export function tenantSubmitter(tenant: string): TenantSubmitter {
  return {
    tenant,
    namespace: tenant,
    queue: tenantQueue(tenant),
    identities: TENANT_SUBMITTING_SERVICE_ACCOUNTS.map((sa) => tenantSchedulingIdentity(tenant, sa)),
  };
}

/** The queue configuration for the tenants (not validated; see {@link queueConfigProblems}). */
export function buildQueuesConfig(props: Pick<YunikornQueueConfigProps, 'tenants' | 'capacity'>): SchedulerConfig {
  const [rootName, parentName] = TENANTS_PARENT_QUEUE.split('.');
  const leaves: QueueConfig[] = props.tenants.map((tenant) => ({
    name: tenant.name,
    submitacl: tenantSubmitter(tenant.name)
      .identities.map((identity) => identity.user)
      .join(','),
    resources: {
      ...(tenant.budget.guaranteed
        ? { guaranteed: queueResources(tenant.budget.guaranteed.cpu, tenant.budget.guaranteed.memory) }
        : {}),
      max: queueResources(tenant.budget.cpu, tenant.budget.memory),
    },
  }));
  return {
    partitions: [
      {
        name: 'default',
        // Fill nodes before using new ones, so the autoscaler can remove the empty Spark nodes.
        nodesortpolicy: { type: 'binpacking' },
        placementrules: [
          { name: 'provided', create: false },
          // Tenant queues are static: a namespace without one gets no queue rather than a new one.
          { name: 'tag', value: 'namespace', create: false, parent: { name: 'fixed', value: TENANTS_PARENT_QUEUE } },
        ],
        queues: [
          {
            // No ACL on root or root.tenants: YuniKorn grants a parent's ACL on every queue below it.
            name: rootName,
            queues: [
              {
                name: parentName,
                parent: true,
                resources: { max: queueResources(props.capacity.maxCpu, props.capacity.maxMemory) },
                queues: leaves,
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Kubernetes quantities as YuniKorn wants them: vcore in whole cores or millicores, memory in whole bytes. */
function queueResources(cpu: string, memory: string): Record<string, string> {
  const milli = wholeMillicoresOrBytes('cpu', cpu)!;
  return {
    [VCORE]: milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`,
    memory: String(wholeMillicoresOrBytes('memory', memory)),
  };
}

function wholeMillicoresOrBytes(kind: 'cpu' | 'memory', value: string): number | undefined {
  if (!isQuantity(value)) return undefined;
  const amount = parseQuantity(value);
  return kind === 'cpu' ? wholeMillicores(amount) : Number.isInteger(amount) ? amount : undefined;
}
