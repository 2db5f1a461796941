import type { KubeObject } from '../config/kube-object';
import { PLATFORM_NAMESPACES, TENANT_LABEL } from '../constructs/conventions';
import { ContainerView, PodView, podsOf } from './pod-specs';
import { Problem, ResourceRule, Rule, RuleInfo, StackRule, Violation, violation } from './rule';

export type KubernetesRule = Rule<KubeObject>;
export type KubernetesViolation = Violation<KubeObject>;

type Json = Record<string, any>;

/** True for a value the rules can judge: an object with a kind and metadata (anything else is the schema check's job). */
export function isKubeObject(value: unknown): value is KubeObject {
  const v = value as Json | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.kind === 'string' &&
    typeof v.metadata === 'object' &&
    v.metadata !== null
  );
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

/** Host access a pod may be granted by {@link HOST_ACCESS_EXCEPTIONS}. */
export type HostAccess = 'privileged' | 'hostPath' | 'hostNetwork' | 'hostPID' | 'hostIPC';

export interface HostAccessException {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly allows: readonly HostAccess[];
  readonly reason: string;
}

/** The only workloads allowed host access, each with why. Everything else is rejected. */
export const HOST_ACCESS_EXCEPTIONS: readonly HostAccessException[] = [
  {
    kind: 'Deployment',
    namespace: PLATFORM_NAMESPACES.yunikorn,
    name: 'yunikorn-admission-controller',
    allows: ['hostNetwork'],
    reason:
      'the API server must reach the admission webhook, and with a custom pod network on EKS it only can on the node network ' +
      '(chart default admissionController.hostNetwork: true); installed by Helm, so only `pulumi preview` sees it',
  },
];

function isExempt(obj: KubeObject, access: HostAccess): boolean {
  return HOST_ACCESS_EXCEPTIONS.some(
    (e) =>
      e.kind === obj.kind &&
      e.namespace === obj.metadata?.namespace &&
      e.name === obj.metadata?.name &&
      e.allows.includes(access),
  );
}

/** A rule over every pod an object describes (see {@link podsOf}). */
function podRule(info: RuleInfo, test: (pod: PodView, obj: KubeObject) => Problem[]): ResourceRule<KubeObject> {
  return {
    ...info,
    scope: 'resource',
    check: (obj) =>
      podsOf(obj).flatMap((pod) =>
        test(pod, obj).map((p) => violation(obj, describeObject(obj), `${p.problem} (at ${pod.path})`, p.fix)),
      ),
  };
}

/** A rule over every container (init containers included) of every pod an object describes. */
function containerRule(
  info: RuleInfo,
  test: (c: ContainerView, pod: PodView, obj: KubeObject) => Problem | undefined,
): ResourceRule<KubeObject> {
  return podRule(info, (pod, obj) =>
    [...pod.initContainers, ...pod.containers].flatMap((c) => {
      const found = test(c, pod, obj);
      return found ? [{ problem: `container '${c.name}' ${found.problem}`, fix: found.fix }] : [];
    }),
  );
}

/** A rule over one kind of object. */
function kindRule(info: RuleInfo, kind: string, test: (obj: KubeObject) => Problem[]): ResourceRule<KubeObject> {
  return {
    ...info,
    scope: 'resource',
    check: (obj) =>
      obj.kind === kind ? test(obj).map((p) => violation(obj, describeObject(obj), p.problem, p.fix)) : [],
  };
}

/** Why an image reference is not pinned, or undefined when it is (a tag other than `latest`, or a digest). */
export function unpinnedImage(image: string | undefined): string | undefined {
  if (!image) return 'has no image';
  if (image.includes('@')) return undefined;
  const colon = image.indexOf(':', image.lastIndexOf('/') + 1);
  if (colon < 0) return `uses image '${image}' without a tag (which means latest)`;
  if (image.slice(colon + 1) === 'latest') return `uses image '${image}' with the moving tag 'latest'`;
  return undefined;
}

const containerResources = containerRule(
  {
    name: 'container-resources',
    description: 'Every container requests CPU and memory and has a memory limit.',
    enforcementLevel: 'mandatory',
    reason:
      'Quotas and YuniKorn queues admit pods by their requests; without a memory limit one pod can exhaust a node.',
  },
  (c) => {
    const missing = [
      c.resources?.requests?.cpu === undefined && 'resources.requests.cpu',
      c.resources?.requests?.memory === undefined && 'resources.requests.memory',
      c.resources?.limits?.memory === undefined && 'resources.limits.memory',
    ].filter((m): m is string => Boolean(m));
    if (missing.length === 0) return undefined;
    return {
      problem: `has no ${missing.join(', ')}`,
      fix: `set ${missing.join(', ')} (for a Spark driver/executor: cores and memory)`,
    };
  },
);

const pinnedImageTag = containerRule(
  {
    name: 'pinned-image-tag',
    description: 'Every container image has a tag other than `latest`, or a digest.',
    enforcementLevel: 'mandatory',
    reason: 'A moving tag makes deployments unreproducible and lets a restart silently change the running code.',
  },
  (c) => {
    const problem = unpinnedImage(c.image);
    return problem
      ? { problem, fix: 'pin the image to a version tag (e.g. `:3.5.3`) or a digest (`@sha256:…`)' }
      : undefined;
  },
);

const noPrivilegedContainers = containerRule(
  {
    name: 'no-privileged-containers',
    description: 'No container runs privileged, except the workloads in the host access allow-list.',
    enforcementLevel: 'mandatory',
    reason: 'A privileged container is root on the node: it escapes every tenant boundary.',
  },
  (c, _pod, obj) =>
    c.securityContext?.privileged === true && !isExempt(obj, 'privileged')
      ? { problem: 'is privileged', fix: 'remove securityContext.privileged (grant only the capabilities it needs)' }
      : undefined,
);

const noHostPath = podRule(
  {
    name: 'no-host-path',
    description: 'No pod mounts a hostPath volume, except the workloads in the host access allow-list.',
    enforcementLevel: 'mandatory',
    reason: 'hostPath exposes the node filesystem (kubelet credentials, other pods’ data) to the pod.',
  },
  (pod, obj) =>
    isExempt(obj, 'hostPath')
      ? []
      : pod.volumes
          .filter((v) => v.hostPath !== undefined)
          .map((v) => ({
            problem: `volume '${v.name}' is a hostPath`,
            fix: 'use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead',
          })),
);

const noHostNamespaces = podRule(
  {
    name: 'no-host-namespaces',
    description: 'No pod uses hostNetwork, hostPID or hostIPC, except the workloads in the host access allow-list.',
    enforcementLevel: 'mandatory',
    reason: 'Host namespaces bypass network policies and let a pod see or signal every process on the node.',
  },
  (pod, obj) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((field) => pod[field] === true && !isExempt(obj, field))
      .map((field) => ({
        problem: `sets ${field}: true`,
        fix: `remove ${field}, or add the workload to HOST_ACCESS_EXCEPTIONS in policies/kubernetes-rules.ts with the reason`,
      })),
);

/**
 * The label every object synthesized by this package carries (the chart labels of `commonLabels` in
 * stacks/k8s/data-plane.ts). It tells synthesized Secrets apart from those the Pulumi program creates from secret
 * outputs, which are encrypted in the state and never written to dist/.
 */
export const SYNTHESIZED_LABEL = { key: 'app.kubernetes.io/part-of', value: 'spark-iceberg-data-plane' } as const;

const noSecretData = kindRule(
  {
    name: 'no-secret-data',
    description: `No synthesized Secret (label ${SYNTHESIZED_LABEL.key}=${SYNTHESIZED_LABEL.value}) carries data or stringData.`,
    enforcementLevel: 'mandatory',
    reason:
      'Synthesized manifests are committed, diffed and logged in CI; secret values belong in a secret store or in Pulumi secrets ' +
      '(Secrets the program creates from secret outputs are encrypted in the state and allowed).',
  },
  'Secret',
  (obj) =>
    (obj.metadata.labels as Record<string, string> | undefined)?.[SYNTHESIZED_LABEL.key] !== SYNTHESIZED_LABEL.value
      ? []
      : (['data', 'stringData'] as const)
          .filter((field) => Object.keys((obj[field] as object | undefined) ?? {}).length > 0)
          .map((field) => ({
            problem: `has ${field} in the manifest`,
            fix: 'remove the values and let the owning service (e.g. the Polaris provisioner), a Pulumi secret or an external secret store write them at runtime',
          })),
);

const scheduledSparkApplicationSchedule = kindRule(
  {
    name: 'scheduled-spark-application-schedule',
    description: 'Every ScheduledSparkApplication sets concurrencyPolicy and timeZone.',
    enforcementLevel: 'mandatory',
    reason:
      'The default policy (Allow) stacks overlapping Iceberg commits; without a time zone the schedule follows the operator pod’s clock.',
  },
  'ScheduledSparkApplication',
  (obj) => {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    return [
      !spec.concurrencyPolicy && {
        problem: 'has no spec.concurrencyPolicy',
        fix: 'set spec.concurrencyPolicy (usually Forbid)',
      },
      !spec.timeZone && { problem: 'has no spec.timeZone', fix: 'set spec.timeZone to an IANA zone (e.g. Etc/UTC)' },
    ].filter((p): p is Problem => Boolean(p));
  },
);

const cronJobSchedule = kindRule(
  {
    name: 'cronjob-schedule',
    description: 'Every CronJob sets concurrencyPolicy, startingDeadlineSeconds of at least 60 and timeZone.',
    enforcementLevel: 'mandatory',
    reason:
      'Overlapping runs corrupt offloads; without a starting deadline a controller outage of 100 missed schedules stops the CronJob for good; ' +
      'without a time zone the schedule follows the controller manager’s clock.',
  },
  'CronJob',
  (obj) => {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    const deadline = spec.startingDeadlineSeconds;
    return [
      !spec.concurrencyPolicy && {
        problem: 'has no spec.concurrencyPolicy',
        fix: 'set spec.concurrencyPolicy (usually Forbid)',
      },
      !(typeof deadline === 'number' && deadline >= 60) && {
        problem: `has spec.startingDeadlineSeconds ${deadline === undefined ? 'unset' : JSON.stringify(deadline)}`,
        fix: 'set spec.startingDeadlineSeconds to at least 60',
      },
      !spec.timeZone && { problem: 'has no spec.timeZone', fix: 'set spec.timeZone to an IANA zone (e.g. Etc/UTC)' },
    ].filter((p): p is Problem => Boolean(p));
  },
);

const runAsNonRoot = containerRule(
  {
    name: 'run-as-non-root',
    description: 'Every container runs with runAsNonRoot (set on the container or the pod).',
    enforcementLevel: 'advisory',
    reason: 'A root process in a container is one kernel bug away from root on the node.',
  },
  (c, pod) =>
    (c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) === true
      ? undefined
      : {
          problem: 'may run as root',
          fix: 'set securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image has none)',
        },
);

const readOnlyRootFilesystem = containerRule(
  {
    name: 'read-only-root-filesystem',
    description: 'Every container has a read-only root filesystem where feasible.',
    enforcementLevel: 'advisory',
    reason:
      'An attacker cannot drop tools into a read-only image; advisory because Spark and some charts need writable paths (mount emptyDirs there).',
  },
  (c) =>
    c.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : {
          problem: 'has a writable root filesystem',
          fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir on the paths it writes',
        },
);

const noPrivilegeEscalation = containerRule(
  {
    name: 'no-privilege-escalation',
    description: 'Every container sets allowPrivilegeEscalation: false.',
    enforcementLevel: 'advisory',
    reason: 'Blocks setuid binaries from gaining more privileges than the container started with.',
  },
  (c) =>
    c.securityContext?.allowPrivilegeEscalation === false
      ? undefined
      : { problem: 'allows privilege escalation', fix: 'set securityContext.allowPrivilegeEscalation: false' },
);

const dropAllCapabilities = containerRule(
  {
    name: 'drop-all-capabilities',
    description: 'Every container drops ALL Linux capabilities (adding back only what it needs).',
    enforcementLevel: 'advisory',
    reason: 'The default capability set (e.g. NET_RAW) is more than data jobs and services need.',
  },
  (c) =>
    c.securityContext?.capabilities?.drop?.includes('ALL')
      ? undefined
      : { problem: 'keeps the default Linux capabilities', fix: 'set securityContext.capabilities.drop: [ALL]' },
);

const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet']);

const longRunningProbes = podRule(
  {
    name: 'long-running-probes',
    description: 'Every container of a Deployment or StatefulSet has liveness and readiness probes.',
    enforcementLevel: 'advisory',
    reason:
      'Without readiness a Service routes to pods that are not ready; without liveness a hung process is never restarted.',
  },
  (pod, obj) =>
    LONG_RUNNING_KINDS.has(obj.kind)
      ? pod.containers.flatMap((c) =>
          (['livenessProbe', 'readinessProbe'] as const)
            .filter((probe) => c[probe] === undefined)
            .map((probe) => ({
              problem: `container '${c.name}' has no ${probe}`,
              fix: `add a ${probe} (an HTTP or TCP check of the service port)`,
            })),
        )
      : [],
);

/** True when every matchLabels pair of `selector` is among `labels` (PDBs here select by labels only). */
function selects(selector: Record<string, any> | undefined, labels: Record<string, string>): boolean {
  const wanted = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>);
  return wanted.length > 0 && wanted.every(([k, v]) => labels[k] === v);
}

const replicatedDisruptionBudget: StackRule<KubeObject> = {
  name: 'replicated-disruption-budget',
  description: 'Every Deployment or StatefulSet with more than one replica is covered by a PodDisruptionBudget.',
  enforcementLevel: 'advisory',
  reason:
    'Replicas exist for availability; without a budget a node drain (Karpenter consolidation, upgrades) may evict all of them at once.',
  scope: 'stack',
  check: (objects) => {
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    return objects
      .filter((o) => LONG_RUNNING_KINDS.has(o.kind) && ((o.spec as Json | undefined)?.replicas ?? 1) > 1)
      .filter((w) => {
        const labels = ((w.spec as Json).template?.metadata?.labels ?? {}) as Record<string, string>;
        return !budgets.some(
          (b) =>
            b.metadata.namespace === w.metadata.namespace && selects((b.spec as Json | undefined)?.selector, labels),
        );
      })
      .map((w) =>
        violation(
          w,
          describeObject(w),
          'has several replicas and no PodDisruptionBudget',
          'add a PodDisruptionBudget selecting its pods (e.g. maxUnavailable: 1)',
        ),
      );
  },
};

/** Names of the namespaces labelled as tenant namespaces. */
export function tenantNamespaces(objects: readonly KubeObject[]): Set<string> {
  return new Set(
    objects
      .filter(
        (o) =>
          o.kind === 'Namespace' &&
          typeof (o.metadata.labels as Record<string, string> | undefined)?.[TENANT_LABEL] === 'string',
      )
      .map((o) => o.metadata.name),
  );
}

function isDefaultDeny(policy: KubeObject): boolean {
  const spec = (policy.spec ?? {}) as Json;
  const selector = (spec.podSelector ?? {}) as Json;
  const selectsAll =
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  const types: string[] = spec.policyTypes ?? [];
  return (
    selectsAll && types.includes('Ingress') && types.includes('Egress') && !spec.ingress?.length && !spec.egress?.length
  );
}

/** A stack rule: every tenant namespace contains an object satisfying `has`. */
function tenantNamespaceRule(
  info: RuleInfo,
  has: (obj: KubeObject) => boolean,
  problem: string,
  fix: string,
): StackRule<KubeObject> {
  return {
    ...info,
    scope: 'stack',
    check: (objects) => {
      const tenants = tenantNamespaces(objects);
      const satisfied = new Set(objects.filter(has).map((o) => o.metadata.namespace));
      return objects
        .filter((o) => o.kind === 'Namespace' && tenants.has(o.metadata.name) && !satisfied.has(o.metadata.name))
        .map((ns) => violation(ns, describeObject(ns), problem, fix));
    },
  };
}

const tenantQuota = tenantNamespaceRule(
  {
    name: 'tenant-namespace-quota',
    description: `Every tenant namespace (label ${TENANT_LABEL}) has a ResourceQuota.`,
    enforcementLevel: 'mandatory',
    reason: 'The quota is what caps a tenant at its budget; without it one tenant can starve the others.',
  },
  (o) => o.kind === 'ResourceQuota',
  'has no ResourceQuota',
  "add a ResourceQuota in the namespace (the tenant construct derives it from the tenant's budget)",
);

const tenantLimitRange = tenantNamespaceRule(
  {
    name: 'tenant-namespace-limit-range',
    description: `Every tenant namespace (label ${TENANT_LABEL}) has a LimitRange.`,
    enforcementLevel: 'mandatory',
    reason:
      'With a quota, pods without requests are rejected; the LimitRange gives them defaults and bounds a single pod.',
  },
  (o) => o.kind === 'LimitRange',
  'has no LimitRange',
  'add a LimitRange with default requests/limits in the namespace',
);

const tenantDefaultDeny = tenantNamespaceRule(
  {
    name: 'tenant-namespace-default-deny',
    description: `Every tenant namespace (label ${TENANT_LABEL}) has a default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules).`,
    enforcementLevel: 'mandatory',
    reason: 'Tenants must not reach each other; traffic is then opened by explicit allow policies.',
  },
  (o) => o.kind === 'NetworkPolicy' && isDefaultDeny(o),
  'has no default-deny NetworkPolicy',
  'add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress/egress rules',
);

/** True when a binding subject is a tenant's service account (or all service accounts of a tenant namespace). */
function isTenantSubject(subject: Json, bindingNamespace: string | undefined, tenants: Set<string>): boolean {
  if (subject.kind === 'ServiceAccount') return tenants.has(subject.namespace ?? bindingNamespace);
  if (subject.kind === 'Group' && typeof subject.name === 'string') {
    return (
      subject.name === 'system:serviceaccounts' || tenants.has(subject.name.replace(/^system:serviceaccounts:/, ''))
    );
  }
  return false;
}

function bindsTenant(binding: KubeObject, tenants: Set<string>): boolean {
  return ((binding.subjects as Json[] | undefined) ?? []).some((s) =>
    isTenantSubject(s, binding.metadata.namespace, tenants),
  );
}

/** Built-in cluster roles that grant `*`, so a binding to them is a wildcard grant even though the role is not synthesized. */
const BUILT_IN_WILDCARD_ROLES = new Set(['cluster-admin']);

const tenantRbacNoWildcards: StackRule<KubeObject> = {
  name: 'tenant-rbac-no-wildcards',
  description:
    'No Role/ClusterRole in a tenant namespace or bound to a tenant service account has `*` verbs or resources.',
  enforcementLevel: 'mandatory',
  reason:
    'Tenant jobs run untrusted code; a wildcard grant (now or after an API is added) lets it read other Secrets or escalate.',
  scope: 'stack',
  check: (objects) => {
    const tenants = tenantNamespaces(objects);
    const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
    const findRole = (kind: string, name: string, ns: string | undefined) =>
      roles.find(
        (r) => r.kind === kind && r.metadata.name === name && (kind === 'ClusterRole' || r.metadata.namespace === ns),
      );
    const tenantRoles = new Set(roles.filter((r) => r.kind === 'Role' && tenants.has(r.metadata.namespace ?? '')));
    const violations: KubernetesViolation[] = [];
    for (const binding of objects.filter(
      (o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && bindsTenant(o, tenants),
    )) {
      const ref = (binding.roleRef ?? {}) as Json;
      const role = findRole(ref.kind, ref.name, binding.metadata.namespace);
      if (role) tenantRoles.add(role);
      else if (BUILT_IN_WILDCARD_ROLES.has(ref.name)) {
        violations.push(
          violation(
            binding,
            describeObject(binding),
            `binds a tenant service account to the wildcard role ${ref.name}`,
            'bind a Role listing the exact verbs and resources the job needs',
          ),
        );
      }
    }
    for (const role of tenantRoles) {
      const wild = ((role.rules as Json[] | undefined) ?? []).filter(
        (r) => r.verbs?.includes('*') || r.resources?.includes('*'),
      );
      if (wild.length > 0) {
        violations.push(
          violation(
            role,
            describeObject(role),
            'grants `*` verbs or resources to tenant service accounts',
            'list the exact verbs and resources in each rule',
          ),
        );
      }
    }
    return violations;
  },
};

const noTenantClusterRoleBinding: StackRule<KubeObject> = {
  name: 'no-tenant-cluster-role-binding',
  description: 'No ClusterRoleBinding has a tenant service account as subject.',
  enforcementLevel: 'mandatory',
  reason:
    'A ClusterRoleBinding grants its role in every namespace, so a tenant would act in other tenants’ and platform namespaces.',
  scope: 'stack',
  check: (objects) => {
    const tenants = tenantNamespaces(objects);
    return objects
      .filter((o) => o.kind === 'ClusterRoleBinding' && bindsTenant(o, tenants))
      .map((b) =>
        violation(
          b,
          describeObject(b),
          'binds a tenant service account cluster-wide',
          'use a RoleBinding in the tenant namespace instead',
        ),
      );
  },
};

/** Every Kubernetes rule, mandatory first. */
export const KUBERNETES_RULES: readonly KubernetesRule[] = [
  containerResources,
  pinnedImageTag,
  noPrivilegedContainers,
  noHostPath,
  noHostNamespaces,
  noSecretData,
  scheduledSparkApplicationSchedule,
  cronJobSchedule,
  tenantQuota,
  tenantLimitRange,
  tenantDefaultDeny,
  tenantRbacNoWildcards,
  noTenantClusterRoleBinding,
  runAsNonRoot,
  readOnlyRootFilesystem,
  noPrivilegeEscalation,
  dropAllCapabilities,
  longRunningProbes,
  replicatedDisruptionBudget,
];
