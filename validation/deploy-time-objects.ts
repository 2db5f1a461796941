import {
  PLATFORM_NAMESPACES,
  POLARIS_CREDENTIALS_SECRET,
  POLARIS_DEPLOY_TIME_OBJECTS,
} from '../constructs/conventions';

/** Who creates an object that synthesized objects refer to but `dist/` does not contain. */
export type DeployTimeCreator = 'Pulumi' | 'the Polaris provisioner Job' | 'the operator, by hand' | 'Kubernetes';

/** An object created at deploy time. */
export interface DeployTimeObject {
  readonly kind: string;
  readonly name: string;
  /** The namespace it is created in, or `tenant` for every tenant namespace (label dataplane.io/tenant). */
  readonly namespace: string;
  readonly createdBy: DeployTimeCreator;
  /** How, in one line (README has the runbook where a person must act). */
  readonly how: string;
}

/**
 * The one list of objects created at deploy time, outside `dist/`. A reference (service account, Secret, ConfigMap,
 * priority class, role) to anything neither synthesized nor listed here is a finding of `npm run validate`.
 */
export const DEPLOY_TIME_OBJECTS: readonly DeployTimeObject[] = [
  {
    kind: 'Secret',
    name: POLARIS_CREDENTIALS_SECRET.name,
    namespace: 'tenant',
    createdBy: 'the Polaris provisioner Job',
    how: "the provisioning layer's Job writes each tenant's Polaris client credentials",
  },
  {
    kind: 'Secret',
    name: 'clickhouse-offload',
    namespace: 'tenant',
    createdBy: 'the operator, by hand',
    how: 'kubectl -n <tenant> create secret generic clickhouse-offload --from-literal=username=… --from-literal=password=… (README, "ClickHouse credentials"); the name is `offload.clickhouse.credentialsSecret.name` of the shipped environments',
  },
  ...[
    ['Secret', POLARIS_DEPLOY_TIME_OBJECTS.persistenceSecret.name, 'the database connection, from the RDS outputs'],
    ['Secret', POLARIS_DEPLOY_TIME_OBJECTS.tokenBrokerSecret.name, 'a generated RSA key pair'],
    ['Secret', POLARIS_DEPLOY_TIME_OBJECTS.rootCredentialsSecret.name, 'generated root client credentials'],
    ['ConfigMap', POLARIS_DEPLOY_TIME_OBJECTS.catalogStorageConfigMap.name, 'the catalog IAM role and KMS key ARNs'],
  ].map(([kind, name, what]) => ({
    kind,
    name,
    namespace: PLATFORM_NAMESPACES.polaris,
    createdBy: 'Pulumi' as const,
    how: `the Pulumi program creates it before the Polaris release: ${what}`,
  })),
];

/** Objects every cluster has: each namespace's `default` ServiceAccount, the built-in priority classes and roles. */
export const BUILT_IN_OBJECTS = {
  serviceAccounts: ['default'],
  priorityClasses: ['system-cluster-critical', 'system-node-critical'],
  clusterRoles: ['cluster-admin', 'admin', 'edit', 'view'],
} as const;
