import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DNS_LABEL, Problems } from '../../config';
import {
  OFFLOAD_POD_LABEL,
  SPARK_DRIVER_SERVICE_ACCOUNT,
  SPARK_EXECUTOR_SERVICE_ACCOUNT,
  SPARK_JOB_LABEL,
  SPARK_NODE_TAINT,
  SPARK_ROLE_LABEL,
  SPARK_ROLES,
  TENANT_LABEL,
  tenantSchedulingIdentity,
  YUNIKORN_USER_INFO,
} from '../conventions';

/** ValidatingAdmissionPolicy and its binding: `admissionregistration.k8s.io/v1` (validation's SERVED_FROM: 1.30). */
const ADMISSION_POLICY_API_VERSION = 'admissionregistration.k8s.io/v1';

/** Labels that select the offload's pods (its ClickHouse egress and Secret), which executors must never carry. */
const PRIVILEGED_POD_LABELS = [OFFLOAD_POD_LABEL.key, 'dataplane.io/offload'] as const;

/** The user a service account of `namespace` authenticates as. */
function serviceAccountUser(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** Who may mount a restricted Secret: pods carrying all these labels. */
export interface SecretConsumer {
  /** Labels the consuming pod must carry (e.g. the offload's, or an audit job's SPARK_JOB_LABEL). */
  readonly labels: Readonly<Record<string, string>>;
}

/** A Secret of the tenant namespace that only some pods may reference. */
export interface RestrictedSecret {
  /** The Secret's name. */
  readonly name: string;
  /** The pods allowed to reference it; no other pod of the namespace may. */
  readonly consumers: readonly SecretConsumer[];
}

/** Props of {@link TenantAdmissionPolicy}. */
export interface TenantAdmissionPolicyProps {
  /** The tenant (and namespace) the policies are bound to. */
  readonly tenant: string;
  /**
   * Secrets of the namespace restricted to named consumers (the ClickHouse credentials: offload and audit pods).
   * @default - none
   */
  readonly restrictedSecrets?: readonly RestrictedSecret[];
}

/** One CEL validation of a policy. */
export interface AdmissionValidation {
  readonly expression: string;
  readonly message: string;
}

/** A ValidatingAdmissionPolicy as this package writes it (the subset of v1 it uses). */
export interface AdmissionPolicySpec {
  readonly failurePolicy: 'Fail';
  readonly matchConstraints: {
    readonly resourceRules: readonly {
      readonly apiGroups: readonly string[];
      readonly apiVersions: readonly string[];
      readonly operations: readonly string[];
      readonly resources: readonly string[];
    }[];
  };
  readonly matchConditions?: readonly { readonly name: string; readonly expression: string }[];
  readonly variables?: readonly { readonly name: string; readonly expression: string }[];
  readonly validations: readonly AdmissionValidation[];
}

/**
 * The cluster's bounds on what can run in a tenant namespace, as ValidatingAdmissionPolicies (each with a binding
 * that selects the tenant namespace by name and denies):
 *
 * - `<tenant>-pods`, every pod whoever creates it: the YuniKorn identity (`yunikorn.apache.org/user.info`) names the
 *   pod's own service account ({@link tenantSchedulingIdentity}) or is absent, the `yunikorn.apache.org/username`
 *   fallback label is absent, tolerations are only the Spark node taint's and Kubernetes' own `node.kubernetes.io/*`
 *   (so no tenant pod ever tolerates the system nodes' taint, or every taint), and restricted Secrets are referenced
 *   only by their consumers.
 * - `<tenant>-driver-pods`, pods the driver service account creates or patches (tenant code runs as it): executors of
 *   the requesting driver only: `spark-role=executor`, the executor service account, owned by the driver pod named in
 *   the request's bound token, the driver's own job label, no label that opens egress, and no Secret at all.
 * - `<tenant>-driver-configmaps`: the driver may create and delete only its executors' ConfigMaps
 *   (`spark-exec-*-conf-map`, labelled `spark-role=executor`), never a plan.
 */
export class TenantAdmissionPolicy extends Construct {
  /** The policies by name, as synthesized. */
  public readonly policies: ReadonlyMap<string, AdmissionPolicySpec>;

  constructor(scope: Construct, id: string, props: TenantAdmissionPolicyProps) {
    super(scope, id);
    const problems = new Problems(this.node.path);
    problems.check(DNS_LABEL.test(props.tenant), 'tenant', props.tenant, 'a tenant name (a DNS label)');
    const restricted = props.restrictedSecrets ?? [];
    restricted.forEach((secret, i) => {
      problems.check(DNS_LABEL.test(secret.name), `restrictedSecrets[${i}].name`, secret.name, 'a Secret name');
      problems.check(
        secret.consumers.length > 0 && secret.consumers.every((c) => Object.keys(c.labels).length > 0),
        `restrictedSecrets[${i}].consumers`,
        secret.consumers,
        'at least one consumer, each with at least one label',
      );
    });
    problems.throwIfAny();

    const t = props.tenant;
    this.policies = new Map([
      [`${t}-pods`, tenantPodsPolicy(t, restricted)],
      [`${t}-driver-pods`, driverPodsPolicy(t)],
      [`${t}-driver-configmaps`, driverConfigMapsPolicy(t)],
    ]);
    for (const [name, spec] of this.policies) {
      const labels = { [TENANT_LABEL]: t };
      const policy = new ApiObject(this, name, {
        apiVersion: ADMISSION_POLICY_API_VERSION,
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: `dataplane-${name}`, labels },
        spec,
      });
      const binding = new ApiObject(this, `${name}-binding`, {
        apiVersion: ADMISSION_POLICY_API_VERSION,
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: `dataplane-${name}`, labels },
        spec: {
          policyName: `dataplane-${name}`,
          validationActions: ['Deny'],
          matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': t } } },
        },
      });
      binding.node.addDependency(policy);
    }
  }
}

const str = (value: string) => JSON.stringify(value);

const podRules = (operations: readonly string[]) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations, resources: ['pods'] }],
});

/** Every container of the pod (init, app and ephemeral). */
const ALL_CONTAINERS =
  '(has(object.spec.initContainers) ? object.spec.initContainers : []) + object.spec.containers + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])';

const POD_VARIABLES = [
  { name: 'labels', expression: 'has(object.metadata.labels) ? object.metadata.labels : {}' },
  { name: 'containers', expression: ALL_CONTAINERS },
  { name: 'volumes', expression: 'has(object.spec.volumes) ? object.spec.volumes : []' },
];

/** CEL: the value of a pod label, '' when absent. */
const label = (key: string) => `(${str(key)} in variables.labels ? variables.labels[${str(key)}] : '')`;

/**
 * CEL: whether the pod references a Secret whose name satisfies `test` (a CEL predicate over `name`): as a volume
 * (plain or projected), through `env` or through `envFrom`.
 */
function referencesSecret(test: (name: string) => string): string {
  return [
    `variables.volumes.exists(v, has(v.secret) && ${test('v.secret.secretName')})`,
    `variables.volumes.exists(v, has(v.projected) && has(v.projected.sources) && v.projected.sources.exists(s, has(s.secret) && ${test('s.secret.name')}))`,
    `variables.containers.exists(c, has(c.env) && c.env.exists(e, has(e.valueFrom) && has(e.valueFrom.secretKeyRef) && ${test('e.valueFrom.secretKeyRef.name')}))`,
    `variables.containers.exists(c, has(c.envFrom) && c.envFrom.exists(e, has(e.secretRef) && ${test('e.secretRef.name')}))`,
  ].join(' || ');
}

function tenantPodsPolicy(tenant: string, restricted: readonly RestrictedSecret[]): AdmissionPolicySpec {
  const identity = tenantSchedulingIdentity(tenant, '__SA__');
  const [before, after] = JSON.stringify(identity).split('__SA__');
  const consumerCheck = (secret: RestrictedSecret): AdmissionValidation => ({
    expression: `!(${referencesSecret((name) => `${name} == ${str(secret.name)}`)}) || ${secret.consumers
      .map(
        (c) =>
          `(${Object.entries(c.labels)
            .map(([k, v]) => `${label(k)} == ${str(v)}`)
            .join(' && ')})`,
      )
      .join(' || ')}`,
    message: `only ${secret.consumers
      .map((c) =>
        Object.entries(c.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      )
      .join(' or ')} pods may reference Secret ${secret.name}`,
  });
  return {
    failurePolicy: 'Fail',
    matchConstraints: podRules(['CREATE', 'UPDATE']),
    variables: [
      ...POD_VARIABLES,
      {
        name: 'serviceAccount',
        expression: "has(object.spec.serviceAccountName) ? object.spec.serviceAccountName : 'default'",
      },
    ],
    validations: [
      {
        expression: `!has(object.metadata.annotations) || !(${str(YUNIKORN_USER_INFO.annotation)} in object.metadata.annotations) || object.metadata.annotations[${str(YUNIKORN_USER_INFO.annotation)}] == ${str(before)} + variables.serviceAccount + ${str(after)}`,
        message: `${YUNIKORN_USER_INFO.annotation} must name the pod's own service account (${before}<serviceAccountName>${after})`,
      },
      {
        expression: `!(${str(YUNIKORN_USER_INFO.fallbackLabel)} in variables.labels)`,
        message: `the ${YUNIKORN_USER_INFO.fallbackLabel} label would pick the pod's YuniKorn user; it is not allowed`,
      },
      {
        expression: `!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && (t.key == ${str(SPARK_NODE_TAINT.key)} || t.key.startsWith('node.kubernetes.io/')))`,
        message: `tenant pods may tolerate only the Spark node taint (${SPARK_NODE_TAINT.key}) and node.kubernetes.io/* taints`,
      },
      ...restricted.map(consumerCheck),
    ],
  };
}

function driverPodsPolicy(tenant: string): AdmissionPolicySpec {
  return {
    failurePolicy: 'Fail',
    matchConstraints: podRules(['CREATE', 'UPDATE']),
    matchConditions: [
      {
        name: 'driver-account',
        expression: `request.userInfo.username == ${str(serviceAccountUser(tenant, SPARK_DRIVER_SERVICE_ACCOUNT))}`,
      },
    ],
    variables: [
      ...POD_VARIABLES,
      // The pod the driver's bound token belongs to (the kubelet-projected token carries it).
      {
        name: 'driverPod',
        expression:
          "has(request.userInfo.extra) && 'authentication.kubernetes.io/pod-name' in request.userInfo.extra ? request.userInfo.extra['authentication.kubernetes.io/pod-name'][0] : ''",
      },
      {
        name: 'driverUid',
        expression:
          "has(request.userInfo.extra) && 'authentication.kubernetes.io/pod-uid' in request.userInfo.extra ? request.userInfo.extra['authentication.kubernetes.io/pod-uid'][0] : ''",
      },
    ],
    validations: [
      {
        expression: `${label(SPARK_ROLE_LABEL)} == ${str(SPARK_ROLES.executor)}`,
        message: `the driver account may only create executors (${SPARK_ROLE_LABEL}=${SPARK_ROLES.executor})`,
      },
      {
        expression: `has(object.spec.serviceAccountName) && object.spec.serviceAccountName == ${str(SPARK_EXECUTOR_SERVICE_ACCOUNT)}`,
        message: `executors run as the ${SPARK_EXECUTOR_SERVICE_ACCOUNT} service account`,
      },
      {
        expression:
          "variables.driverPod != '' && has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(r, r.kind == 'Pod' && r.name == variables.driverPod && r.uid == variables.driverUid)",
        message: 'executors must be owned by the driver pod that creates them',
      },
      {
        // Scheduled runs are named <job>-<timestamp>, their drivers <run>-driver.
        expression: `!(${str(SPARK_JOB_LABEL)} in variables.labels) || (variables.labels[${str(SPARK_JOB_LABEL)}].matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && variables.driverPod.matches('^' + variables.labels[${str(SPARK_JOB_LABEL)}] + '(-[0-9]+)?-driver$'))`,
        message: `${SPARK_JOB_LABEL} must name the driver's own job`,
      },
      {
        expression: `${JSON.stringify(PRIVILEGED_POD_LABELS)}.all(k, !(k in variables.labels))`,
        message: `executors may not carry ${PRIVILEGED_POD_LABELS.join(' or ')} (they select other workloads' network access)`,
      },
      {
        expression: `!(${referencesSecret(() => 'true')})`,
        message: 'executors reference no Secret (they get catalog credentials from the driver)',
      },
    ],
  };
}

function driverConfigMapsPolicy(tenant: string): AdmissionPolicySpec {
  return {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['configmaps'] },
      ],
    },
    matchConditions: [
      {
        name: 'driver-account',
        expression: `request.userInfo.username == ${str(serviceAccountUser(tenant, SPARK_DRIVER_SERVICE_ACCOUNT))}`,
      },
    ],
    variables: [{ name: 'target', expression: "request.operation == 'DELETE' ? oldObject : object" }],
    validations: [
      {
        expression: `variables.target.metadata.name.startsWith('spark-exec-') && variables.target.metadata.name.endsWith('-conf-map') && has(variables.target.metadata.labels) && ${str(SPARK_ROLE_LABEL)} in variables.target.metadata.labels && variables.target.metadata.labels[${str(SPARK_ROLE_LABEL)}] == ${str(SPARK_ROLES.executor)}`,
        message: `the driver account may only create and delete its executors' ConfigMaps (spark-exec-*-conf-map, ${SPARK_ROLE_LABEL}=${SPARK_ROLES.executor})`,
      },
    ],
  };
}
