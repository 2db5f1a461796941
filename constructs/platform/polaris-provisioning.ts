import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  awsRegion,
  CatalogAccess,
  catalogAccessProblems,
  CatalogAccessSchema,
  CatalogSchema,
  checkResources,
  ContainerResources,
  count,
  defaultCatalogAccess,
  DNS_LABEL,
  Problems,
  StorageSchema,
  validate,
  VERSIONS,
} from '../../config';
import {
  NamespaceGrantPlan,
  ProvisioningPlan,
  READ_PRIVILEGES,
  TenantPlan,
  WRITE_PRIVILEGES,
} from '../../jobs/polaris-provisioner/plan';
import {
  PLATFORM_NAMESPACES,
  PLATFORM_PRIORITY_CLASS,
  POLARIS_CREDENTIALS_SECRET,
  POLARIS_DEPLOY_TIME_OBJECTS,
  SYSTEM_NODE_LABEL,
  SYSTEM_NODE_TOLERATION,
  TENANT_LABEL,
  polarisCatalogUri,
} from '../conventions';
import { kubeResources } from './kube-resources';
import { POLARIS_PROVISIONER_POD_LABELS } from './platform-releases';

export interface PolarisProvisioningProps {
  /** The Polaris realm to bootstrap and provision. */
  readonly realm: string;
  /** The catalog (Iceberg warehouse) every tenant uses. */
  readonly catalogName: string;
  /** The S3 bucket of the warehouse; the catalog's only allowed location is `s3://<bucket>/<catalog>/`. */
  readonly warehouseBucket: string;
  /** AWS region of the bucket. */
  readonly region: string;
  /** The tenants (namespace names) that get a principal and a `polaris-spark-credentials` Secret. */
  readonly tenants: readonly string[];
  /**
   * Catalog access per tenant: namespaces written (offload, maintenance) and only read (audits).
   * @default - every tenant writes the namespace named like it and reads nothing else
   */
  readonly catalogAccess?: Readonly<Record<string, CatalogAccess>>;
  /**
   * Labels added to every tenant credentials Secret (the tenant label is always set).
   * @default - none
   */
  readonly secretLabels?: Readonly<Record<string, string>>;
  /**
   * The provisioner image.
   * @default VERSIONS.platformImages.polarisProvisioner
   */
  readonly image?: string;
  /**
   * The Polaris admin tool image that bootstraps the realm.
   * @default VERSIONS.polaris.adminToolImage
   */
  readonly adminToolImage?: string;
  /**
   * Retries of a failed run (each one a fresh pod that starts over; every step is idempotent).
   * @default 4
   */
  readonly backoffLimit?: number;
  /**
   * Requests and limits of each container.
   * @default - 100m / 256Mi requested, 500m / 512Mi limit (the admin tool is a JVM)
   */
  readonly resources?: ContainerResources;
  /**
   * Nodes the Job may run on.
   * @default - the system node group (SYSTEM_NODE_LABEL)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

const DEFAULTS = {
  secretLabels: {} as Readonly<Record<string, string>>,
  image: VERSIONS.platformImages.polarisProvisioner,
  adminToolImage: VERSIONS.polaris.adminToolImage,
  backoffLimit: 4,
  resources: {
    requests: { cpu: '100m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  } satisfies ContainerResources,
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
};

/** Name of the Job, its ServiceAccount and the Roles/RoleBindings that let it write tenant Secrets. */
const NAME = 'polaris-provisioner';
const PLAN_DIR = '/etc/polaris-provisioner';
/** UID of the `node` user in the Node base image and of the Polaris images' user. */
const NODE_UID = 1000;
const POLARIS_UID = 10000;
/** Where the bootstrap credentials file lives (a memory-backed volume of the Job's pod). */
const BOOTSTRAP_DIR = '/run/polaris-bootstrap';
const BOOTSTRAP_CREDENTIALS_FILE = `${BOOTSTRAP_DIR}/credentials.json`;

/**
 * Provisions Polaris after the server is up: a Job whose init container bootstraps the realm's root credentials with the
 * admin tool (idempotent since 1.7.0) and whose main container runs the TypeScript provisioner (`jobs/polaris-provisioner`)
 * over the plan rendered here: the S3 catalog, the tenants' catalog namespaces, and per tenant a principal, a principal
 * role and a catalog role with exactly the planned grants, whose credentials land in the tenant's
 * `polaris-spark-credentials` Secret. Credentials only ever exist in Polaris and in those Secrets; the Job reads the root
 * credentials and database connection from deploy-time Secrets by name.
 *
 * RBAC: a Role per tenant namespace allows get/update of that one Secret and `create` of Secrets (Kubernetes cannot limit
 * `create` by name, because the name is not part of the request URL). A changed plan changes the pod template's
 * `dataplane.io/plan-sha256` annotation, so the Job is replaced and runs again.
 */
export class PolarisProvisioning extends Construct {
  /** The plan the Job applies (also mounted as `plan.json`). */
  public readonly plan: ProvisioningPlan;

  constructor(scope: Construct, id: string, props: PolarisProvisioningProps) {
    super(scope, id);
    const access = props.catalogAccess ?? {};
    const backoffLimit = props.backoffLimit ?? DEFAULTS.backoffLimit;
    const resources = props.resources ?? DEFAULTS.resources;
    const problems = new Problems(this.node.path);
    problems.check(
      CatalogSchema.shape.realm.safeParse(props.realm).success,
      'realm',
      props.realm,
      'a realm name such as POLARIS',
    );
    problems.check(
      CatalogSchema.shape.name.safeParse(props.catalogName).success,
      'catalogName',
      props.catalogName,
      'a catalog name: lower-case letters, digits and "_"',
    );
    problems.check(
      StorageSchema.shape.warehouseBucket.safeParse(props.warehouseBucket).success,
      'warehouseBucket',
      props.warehouseBucket,
      'an S3 bucket name',
    );
    problems.check(
      awsRegion.safeParse(props.region).success,
      'region',
      props.region,
      'an AWS region such as eu-west-1',
    );
    problems.check(props.tenants.length > 0, 'tenants', props.tenants, 'at least one tenant');
    props.tenants.forEach((t, i) => {
      problems.check(DNS_LABEL.test(t) && t.length <= 63, `tenants[${i}]`, t, 'a namespace name (DNS label)');
      problems.check(props.tenants.indexOf(t) === i, `tenants[${i}]`, t, 'a tenant not listed before');
    });
    for (const [tenant, a] of Object.entries(access)) {
      problems.addAll(validate(CatalogAccessSchema, a).problems, a, ['catalogAccess', tenant]);
    }
    problems.addAll(catalogAccessProblems({ tenants: props.tenants, access, at: ['catalogAccess'] }), {
      catalogAccess: access,
    });
    problems.check(count(0).safeParse(backoffLimit).success, 'backoffLimit', backoffLimit, 'a whole number >= 0');
    checkResources(problems, 'resources', resources);
    problems.throwIfAny();

    this.plan = this.renderPlan(props, access);
    const planJson = `${JSON.stringify(this.plan, null, 2)}\n`;
    const namespace = PLATFORM_NAMESPACES.polaris;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: NAME, namespace } });
    new k8s.KubeConfigMap(this, 'plan', {
      metadata: { name: `${NAME}-plan`, namespace },
      data: { 'plan.json': planJson },
    });
    for (const tenant of props.tenants) {
      new k8s.KubeRole(this, `${tenant}-role`, {
        metadata: { name: NAME, namespace: tenant },
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: [POLARIS_CREDENTIALS_SECRET.name],
            verbs: ['get', 'update'],
          },
          { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        ],
      });
      new k8s.KubeRoleBinding(this, `${tenant}-role-binding`, {
        metadata: { name: NAME, namespace: tenant },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME },
        subjects: [{ kind: 'ServiceAccount', name: NAME, namespace }],
      });
    }

    const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({
      name,
      valueFrom: { secretKeyRef: { name: secret, key } },
    });
    const db = POLARIS_DEPLOY_TIME_OBJECTS.persistenceSecret;
    const root = POLARIS_DEPLOY_TIME_OBJECTS.rootCredentialsSecret;
    const storage = POLARIS_DEPLOY_TIME_OBJECTS.catalogStorageConfigMap;
    const hardened = (uid: number): k8s.SecurityContext => ({
      runAsNonRoot: true,
      runAsUser: uid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    new k8s.KubeJob(this, 'job', {
      metadata: { name: NAME, namespace, labels: { ...POLARIS_PROVISIONER_POD_LABELS } },
      spec: {
        backoffLimit,
        template: {
          metadata: {
            labels: { ...POLARIS_PROVISIONER_POD_LABELS },
            annotations: { 'dataplane.io/plan-sha256': createHash('sha256').update(planJson).digest('hex') },
          },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: true,
            restartPolicy: 'Never',
            nodeSelector: { ...(props.nodeSelector ?? DEFAULTS.nodeSelector) },
            tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
            priorityClassName: PLATFORM_PRIORITY_CLASS.name,
            // The credentials file is group-readable through fsGroup: its writer and the admin tool run as other users.
            securityContext: { seccompProfile: { type: 'RuntimeDefault' }, fsGroup: POLARIS_UID },
            initContainers: [
              {
                // The root credentials reach the admin tool as a file in memory, never in its arguments.
                name: 'bootstrap-credentials',
                image: props.image ?? DEFAULTS.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['node', '/app/bootstrap-credentials.js'],
                env: [
                  { name: 'BOOTSTRAP_REALM', value: props.realm },
                  { name: 'BOOTSTRAP_FILE', value: BOOTSTRAP_CREDENTIALS_FILE },
                  secretEnv('POLARIS_CLIENT_ID', root.name, root.clientIdKey),
                  secretEnv('POLARIS_CLIENT_SECRET', root.name, root.clientSecretKey),
                ],
                resources: kubeResources(resources),
                securityContext: hardened(NODE_UID),
                volumeMounts: [{ name: 'bootstrap', mountPath: BOOTSTRAP_DIR }],
              },
              {
                name: 'bootstrap',
                image: props.adminToolImage ?? DEFAULTS.adminToolImage,
                imagePullPolicy: 'IfNotPresent',
                args: ['bootstrap', '-f', BOOTSTRAP_CREDENTIALS_FILE],
                env: [
                  { name: 'POLARIS_PERSISTENCE_TYPE', value: 'relational-jdbc' },
                  secretEnv('QUARKUS_DATASOURCE_USERNAME', db.name, db.usernameKey),
                  secretEnv('QUARKUS_DATASOURCE_PASSWORD', db.name, db.passwordKey),
                  secretEnv('QUARKUS_DATASOURCE_JDBC_URL', db.name, db.jdbcUrlKey),
                ],
                resources: kubeResources(resources),
                securityContext: hardened(POLARIS_UID),
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'bootstrap', mountPath: BOOTSTRAP_DIR, readOnly: true },
                ],
              },
            ],
            containers: [
              {
                name: 'provision',
                image: props.image ?? DEFAULTS.image,
                imagePullPolicy: 'IfNotPresent',
                env: [
                  { name: 'PLAN_FILE', value: `${PLAN_DIR}/plan.json` },
                  secretEnv('POLARIS_CLIENT_ID', root.name, root.clientIdKey),
                  secretEnv('POLARIS_CLIENT_SECRET', root.name, root.clientSecretKey),
                  {
                    name: 'CATALOG_ROLE_ARN',
                    valueFrom: { configMapKeyRef: { name: storage.name, key: storage.roleArnKey } },
                  },
                  {
                    name: 'CATALOG_EXTERNAL_ID',
                    valueFrom: { configMapKeyRef: { name: storage.name, key: storage.externalIdKey } },
                  },
                  {
                    name: 'CATALOG_KMS_KEY_ARN',
                    valueFrom: { configMapKeyRef: { name: storage.name, key: storage.kmsKeyArnKey } },
                  },
                ],
                resources: kubeResources(resources),
                securityContext: hardened(NODE_UID),
                volumeMounts: [{ name: 'plan', mountPath: PLAN_DIR, readOnly: true }],
              },
            ],
            volumes: [
              { name: 'plan', configMap: { name: `${NAME}-plan` } },
              { name: 'tmp', emptyDir: {} },
              { name: 'bootstrap', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
            ],
          },
        },
      },
    });
  }

  private renderPlan(
    props: PolarisProvisioningProps,
    access: Readonly<Record<string, CatalogAccess>>,
  ): ProvisioningPlan {
    const location = `s3://${props.warehouseBucket}/${props.catalogName}/`;
    const tenants: TenantPlan[] = props.tenants.map((tenant) => {
      const a = access[tenant] ?? defaultCatalogAccess(tenant);
      const grants: NamespaceGrantPlan[] = [
        ...(a.write ?? []).map((namespace) => ({ namespace, privileges: WRITE_PRIVILEGES })),
        ...(a.read ?? []).map((namespace) => ({ namespace, privileges: READ_PRIVILEGES })),
      ];
      return {
        tenant,
        principal: `${tenant}-spark`,
        principalRole: `${tenant}-spark`,
        catalogRole: `${tenant}-spark`,
        grants,
        credentialsSecret: {
          namespace: tenant,
          name: POLARIS_CREDENTIALS_SECRET.name,
          clientIdKey: POLARIS_CREDENTIALS_SECRET.clientIdKey,
          clientSecretKey: POLARIS_CREDENTIALS_SECRET.clientSecretKey,
          labels: { ...(props.secretLabels ?? DEFAULTS.secretLabels), [TENANT_LABEL]: tenant },
        },
      };
    });
    const namespaces = [...new Set(tenants.flatMap((t) => t.grants.map((g) => g.namespace)))].sort();
    return {
      version: 1,
      polarisUrl: new URL(polarisCatalogUri()).origin,
      realm: props.realm,
      catalog: {
        name: props.catalogName,
        defaultBaseLocation: location,
        allowedLocations: [location],
        region: props.region,
      },
      namespaces,
      tenants,
    };
  }
}
