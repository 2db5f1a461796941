import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Problems, TenantBudgetInput, TenantSchema, validate, VERSIONS } from '../../config';
import {
  podSecurityLabels,
  SPARK_DRIVER_SERVICE_ACCOUNT,
  SPARK_EXECUTOR_SERVICE_ACCOUNT,
  SPARK_JOB_NAMESPACE_LABEL,
  TENANT_JOB_SERVICE_ACCOUNT,
  TENANT_LABEL,
  tenantQueue,
} from '../conventions';
import { NetworkAllowRule, networkPolicySpec } from './network-allow-rule';
import { RestrictedSecret, TenantAdmissionPolicy } from './tenant-admission-policy';
import { tenantQuota } from './tenant-budget';

/** Defaults of the tenant namespace. */
export const TENANT_DEFAULTS = {
  /**
   * Requests given to containers that set none, so they pass the requests quota. Spark drivers and executors always
   * set their own requests (cores and memory plus overhead), so these only reach sidecars and ad-hoc pods.
   */
  containerRequests: { cpu: '250m', memory: '512Mi' },
  /** Limits given to containers that set none (at least the default requests, so a defaulted pod stays valid). */
  containerLimits: { cpu: '1', memory: '1Gi' },
} as const;

/**
 * Pod Security admission: `baseline` is enforced, `restricted` is warned about and audited. Spark pods pass baseline
 * as Spark builds them (no host namespaces, host paths or privileged containers), but restricted needs
 * `runAsNonRoot`, `allowPrivilegeEscalation: false`, dropped capabilities and a seccomp profile on every container:
 * Spark sets none of them, the operator's webhook adds them only when each application asks, and YuniKorn's gang
 * placeholder pods set only runAsUser/runAsGroup, so enforcing restricted would reject gang-scheduled jobs.
 */
const POD_SECURITY = { enforce: 'baseline', warn: 'restricted', audit: 'restricted' } as const;

/** Owner annotation on the namespace. */
const OWNER_ANNOTATION = 'dataplane.io/owner';

const READ = ['get', 'list', 'watch'];
const CLEAN_UP = ['delete', 'deletecollection'];

/**
 * What a Spark 4.0.1 driver does with the API (resource-managers/kubernetes, `KubernetesClusterSchedulerBackend` and
 * `ExecutorPodsAllocator`): it creates, watches, labels (patch) and deletes its executor pods, creates and deletes its
 * executors' ConfigMap, and deletes its Service and PVCs by label when it stops. The driver Service and pod are created
 * by the operator, so no create on Services; nothing is ever updated. The tenant's admission policy narrows pod and
 * ConfigMap writes further to the driver's own executors.
 */
const SPARK_DRIVER_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'create', 'patch', ...CLEAN_UP] },
  { apiGroups: [''], resources: ['configmaps'], verbs: [...READ, 'create', ...CLEAN_UP] },
  { apiGroups: [''], resources: ['services', 'persistentvolumeclaims'], verbs: [...READ, ...CLEAN_UP] },
];

/** Props of {@link Tenant}. */
export interface TenantProps {
  /** The tenant's name: its namespace, its YuniKorn leaf queue and the value of TENANT_LABEL. */
  readonly name: string;
  /** Who owns the tenant (team or contact), recorded on the namespace. */
  readonly owner: string;
  /** What the tenant may use at once; the ResourceQuota and the YuniKorn queue derive from it. */
  readonly budget: TenantBudgetInput;
  /**
   * Traffic allowed on top of the default deny; more can be added with {@link Tenant.addNetworkRule}.
   * @default - none: the namespace allows no traffic at all
   */
  readonly networkRules?: readonly NetworkAllowRule[];
  /**
   * Secrets of the namespace only some of its pods may reference (enforced by the tenant's admission policy).
   * @default - none
   */
  readonly restrictedSecrets?: readonly RestrictedSecret[];
}

/**
 * A team that runs Spark jobs, isolated in its own namespace: quota and container defaults from its budget, Pod
 * Security admission, service accounts and namespaced RBAC for Spark drivers, executors and scheduled jobs, and
 * network policies that deny everything except the typed allow rules. Its YuniKorn queue is `root.tenants.<name>`
 * (the queue configuration is built for all tenants together by `YunikornQueueConfig`). A Tenant on its own has no
 * queue, catalog principal or credentials: add tenants to a data plane with `DataPlane.addTenant`, which gives it all.
 */
export class Tenant extends Construct {
  /** The tenant name (also the namespace name). */
  public readonly name: string;
  /** The namespace everything of the tenant lives in. */
  public readonly namespace: string;
  /** The tenant's YuniKorn leaf queue. */
  public readonly queue: string;
  private readonly namespaceObject: k8s.KubeNamespace;
  private readonly rules = new Map<string, NetworkAllowRule>();

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const problems = new Problems(this.node.path);
    const tenant = { name: props.name, owner: props.owner, budget: props.budget };
    const valid = validate(TenantSchema, tenant);
    problems.addAll(valid.problems, tenant);
    const networkRules = props.networkRules ?? [];
    networkRules.forEach((rule, i) => {
      const first = networkRules.findIndex((r) => r.name === rule.name);
      problems.check(
        first === i,
        `networkRules[${i}]`,
        rule.name,
        `a rule not already given as networkRules[${first}]`,
      );
    });
    problems.throwIfAny();

    this.name = props.name;
    this.namespace = props.name;
    this.queue = tenantQueue(props.name);
    const labels = { [TENANT_LABEL]: this.name };
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels });

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: {
          ...labels,
          [SPARK_JOB_NAMESPACE_LABEL.key]: SPARK_JOB_NAMESPACE_LABEL.value,
          ...podSecurityLabels(POD_SECURITY, VERSIONS.kubernetes.cluster),
        },
        annotations: { [OWNER_ANNOTATION]: props.owner },
      },
    });

    const quota = tenantQuota(valid.data!.budget);
    this.inNamespace(
      new k8s.KubeResourceQuota(this, 'Quota', {
        metadata: metadata('tenant-budget'),
        spec: {
          // Requests only: scheduling and the YuniKorn queue count requests. Every pod counts, YuniKorn's gang
          // placeholders too (k8shim 1.8.0 `newPlaceholder` gives them limits equal to their requests); the budget
          // check counts them at a job's peak.
          hard: {
            'requests.cpu': k8s.Quantity.fromString(quota.cpu),
            'requests.memory': k8s.Quantity.fromString(quota.memory),
            pods: k8s.Quantity.fromNumber(quota.pods),
            configmaps: k8s.Quantity.fromNumber(quota.configmaps),
            services: k8s.Quantity.fromNumber(quota.services),
            secrets: k8s.Quantity.fromNumber(quota.secrets),
            persistentvolumeclaims: k8s.Quantity.fromNumber(quota.persistentvolumeclaims),
            // Tenant workloads are reached inside the cluster only.
            'services.loadbalancers': k8s.Quantity.fromNumber(0),
            'services.nodeports': k8s.Quantity.fromNumber(0),
          },
        },
      }),
    );

    // Defaults reach only containers that set none: Spark pods, placeholders and offload pods set both requests and
    // limits. No `max`: it would demand limits of every container.
    this.inNamespace(
      new k8s.KubeLimitRange(this, 'ContainerDefaults', {
        metadata: metadata('container-defaults'),
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: {
                cpu: k8s.Quantity.fromString(TENANT_DEFAULTS.containerRequests.cpu),
                memory: k8s.Quantity.fromString(TENANT_DEFAULTS.containerRequests.memory),
              },
              default: {
                cpu: k8s.Quantity.fromString(TENANT_DEFAULTS.containerLimits.cpu),
                memory: k8s.Quantity.fromString(TENANT_DEFAULTS.containerLimits.memory),
              },
            },
          ],
        },
      }),
    );

    const driver = this.serviceAccount('DriverServiceAccount', SPARK_DRIVER_SERVICE_ACCOUNT, true);
    // Executors never call the API, so they get no token.
    this.serviceAccount('ExecutorServiceAccount', SPARK_EXECUTOR_SERVICE_ACCOUNT, false);
    // Scheduled jobs (the offload CronJobs) run Spark in local mode and never call the API.
    this.serviceAccount('JobServiceAccount', TENANT_JOB_SERVICE_ACCOUNT, false);
    this.grant('Driver', SPARK_DRIVER_SERVICE_ACCOUNT, SPARK_DRIVER_RULES, driver);
    new TenantAdmissionPolicy(this, 'AdmissionPolicy', {
      tenant: this.name,
      restrictedSecrets: props.restrictedSecrets,
    }).node.addDependency(this.namespaceObject);

    this.inNamespace(
      new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
        metadata: metadata('default-deny'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    );
    networkRules.forEach((rule) => this.addNetworkRule(rule));
  }

  /** Allows more traffic on top of the default deny (e.g. `NetworkAllowRule.sparkUiFrom(...)`). Each rule once. */
  public addNetworkRule(rule: NetworkAllowRule): void {
    if (this.rules.has(rule.name)) {
      const problems = new Problems(this.node.path);
      problems.add('networkRules', rule.name, 'a rule the tenant does not have yet');
      problems.throwIfAny();
    }
    this.rules.set(rule.name, rule);
    for (const policy of rule.policies()) {
      this.inNamespace(
        new k8s.KubeNetworkPolicy(this, `NetworkPolicy-${policy.name}`, {
          metadata: { name: policy.name, namespace: this.namespace, labels: { [TENANT_LABEL]: this.name } },
          spec: networkPolicySpec(policy),
        }),
      );
    }
  }

  /** The names of the network rules the tenant allows, in the order they were added. */
  public get networkRuleNames(): string[] {
    return [...this.rules.keys()];
  }

  private serviceAccount(id: string, name: string, token: boolean): k8s.KubeServiceAccount {
    return this.inNamespace(
      new k8s.KubeServiceAccount(this, id, {
        metadata: { name, namespace: this.namespace, labels: { [TENANT_LABEL]: this.name } },
        automountServiceAccountToken: token,
      }),
    );
  }

  private grant(id: string, name: string, rules: k8s.PolicyRule[], account: k8s.KubeServiceAccount): void {
    const metadata = { name, namespace: this.namespace, labels: { [TENANT_LABEL]: this.name } };
    const role = this.inNamespace(new k8s.KubeRole(this, `${id}Role`, { metadata, rules }));
    const binding = this.inNamespace(
      new k8s.KubeRoleBinding(this, `${id}RoleBinding`, {
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: account.name, namespace: this.namespace }],
      }),
    );
    binding.node.addDependency(role, account);
  }

  /** Orders a namespaced object after the namespace in the synthesized manifest. */
  private inNamespace<T extends ApiObject>(object: T): T {
    object.node.addDependency(this.namespaceObject);
    return object;
  }
}
