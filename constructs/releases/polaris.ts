import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as tls from '@pulumi/tls';
import { CatalogSchema, checkResources, ContainerResources, count, Problems, VERSIONS } from '../../config';
import {
  PLATFORM_PRIORITY_CLASS,
  PLATFORM_SERVICE_ACCOUNTS,
  POLARIS_DEPLOY_TIME_OBJECTS,
  POLARIS_SERVICE,
  SYSTEM_NODE_LABEL,
  SYSTEM_NODE_TOLERATION,
} from '../conventions';
import { PLATFORM_RELEASES } from '../platform/platform-releases';
import { childOptions } from './child-options';
import { ExtraValues, ImageRef, mergeValues, splitImage } from './helm-values';
import { pinnedRelease } from './pinned-release';
import { Toleration } from './spark-operator';
import { RELEASE_DEFAULTS } from './defaults';

/** The PostgreSQL database Polaris persists to (created by the AWS layer). */
export interface PolarisDatabaseConnection {
  /** `jdbc:postgresql://host:port/db` with any connection parameters (e.g. `sslmode=require`). */
  readonly jdbcUrl: pulumi.Input<string>;
  readonly username: pulumi.Input<string>;
  /** Kept secret: it only reaches the deploy-time Secret `polaris-persistence`. */
  readonly password: pulumi.Input<string>;
}

/** How Polaris reaches the catalog's S3 storage (created by the AWS layer). */
export interface CatalogStorage {
  /** IAM role Polaris assumes to vend table credentials (`storageConfigInfo.roleArn`). */
  readonly roleArn: pulumi.Input<string>;
  /** External ID the role's trust policy requires (`storageConfigInfo.externalId`). */
  readonly externalId: pulumi.Input<string>;
  /** KMS key the warehouse bucket encrypts with (`storageConfigInfo.currentKmsKey`). */
  readonly kmsKeyArn: pulumi.Input<string>;
}

export interface PolarisArgs {
  /** The realm served (the chart's default realm) and bootstrapped. */
  readonly realm: string;
  readonly database: PolarisDatabaseConnection;
  /** The catalog's storage access; published in the `polaris-catalog-storage` ConfigMap for the provisioner. */
  readonly catalogStorage: CatalogStorage;
  /**
   * Server replicas; they share the token-broker key pair, so a token issued by one is accepted by all.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Server requests and limits.
   * @default - 500m / 1Gi requested, 2 CPU / 2Gi limit
   */
  readonly resources?: ContainerResources;
  /**
   * Nodes the server runs on.
   * @default - the system node group (SYSTEM_NODE_LABEL)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Chart values deep-merged over the typed ones, for settings this interface does not cover.
   * @default - none
   */
  readonly extraValues?: ExtraValues;
}

/** Probe timing of the chart's liveness and readiness checks (`/q/health/live`, `/q/health/ready` on the management port). */
export interface PolarisProbe {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

/** The subset of the polaris 1.7.0 chart values this component sets. */
export interface PolarisValues {
  readonly replicaCount: number;
  readonly image: ImageRef;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly service: { readonly ports: readonly { readonly name: string; readonly port: number }[] };
  readonly managementService: { readonly ports: readonly { readonly name: string; readonly port: number }[] };
  readonly resources: ContainerResources;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly priorityClassName: string;
  readonly livenessProbe: PolarisProbe;
  readonly readinessProbe: PolarisProbe;
  readonly persistence: {
    readonly type: 'relational-jdbc';
    readonly relationalJdbc: {
      readonly secret: {
        readonly name: string;
        readonly username: string;
        readonly password: string;
        readonly jdbcUrl: string;
      };
    };
  };
  readonly authentication: {
    readonly type: 'internal';
    readonly tokenBroker: {
      readonly type: 'rsa-key-pair';
      readonly maxTokenGeneration: string;
      readonly secret: {
        readonly name: string;
        readonly rsaKeyPair: { readonly publicKey: string; readonly privateKey: string };
      };
    };
  };
  readonly realmContext: { readonly type: 'default'; readonly realms: readonly string[] };
  readonly features: { readonly SUPPORTED_CATALOG_STORAGE_TYPES: readonly string[] };
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable?: number };
  readonly serviceMonitor: { readonly enabled: boolean };
}

const DEFAULTS = {
  ...RELEASE_DEFAULTS.polaris,
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
  liveness: {
    initialDelaySeconds: 20,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  } satisfies PolarisProbe,
  readiness: {
    initialDelaySeconds: 10,
    periodSeconds: 5,
    timeoutSeconds: 5,
    failureThreshold: 3,
  } satisfies PolarisProbe,
};

/**
 * Apache Polaris (chart and image from VERSIONS) on relational-jdbc persistence, with the deploy-time objects it needs:
 * the database connection Secret, an RSA token-broker key pair generated with @pulumi/tls (shared by every replica), the
 * realm's root credentials generated with @pulumi/random, and the catalog role ARN. Only their names appear in the chart
 * values; their contents exist in Pulumi state (as secrets) and in the cluster, never in `dist/`.
 */
export class Polaris extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:releases:Polaris';
  public readonly values: PolarisValues;
  public readonly release: k8s.helm.v3.Release;
  /** The deploy-time Secrets, in creation order: persistence, token broker, root credentials. */
  public readonly secrets: readonly k8s.core.v1.Secret[];

  constructor(name: string, args: PolarisArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Polaris.TYPE, name, {}, opts);
    const replicas = args.replicas ?? DEFAULTS.replicas;
    const resources = args.resources ?? DEFAULTS.resources;
    const problems = new Problems(`Polaris ${name}`);
    problems.check(
      CatalogSchema.shape.realm.safeParse(args.realm).success,
      'realm',
      args.realm,
      'a realm name such as POLARIS',
    );
    problems.check(count(1).safeParse(replicas).success, 'replicas', replicas, 'a whole number >= 1');
    checkResources(problems, 'resources', resources);
    problems.throwIfAny();

    const namespace = PLATFORM_RELEASES.polaris.namespace;
    const objects = POLARIS_DEPLOY_TIME_OBJECTS;
    const db = args.database;
    const persistence = new k8s.core.v1.Secret(
      `${name}-persistence`,
      {
        metadata: { name: objects.persistenceSecret.name, namespace },
        stringData: {
          [objects.persistenceSecret.usernameKey]: db.username,
          [objects.persistenceSecret.passwordKey]: pulumi.secret(db.password),
          [objects.persistenceSecret.jdbcUrlKey]: db.jdbcUrl,
        },
      },
      childOptions(this, opts),
    );
    const key = new tls.PrivateKey(
      `${name}-token-broker-key`,
      { algorithm: 'RSA', rsaBits: 2048 },
      childOptions(this, opts),
    );
    const tokenBroker = new k8s.core.v1.Secret(
      `${name}-token-broker`,
      {
        metadata: { name: objects.tokenBrokerSecret.name, namespace },
        stringData: {
          [objects.tokenBrokerSecret.publicKeyKey]: key.publicKeyPem,
          [objects.tokenBrokerSecret.privateKeyKey]: key.privateKeyPemPkcs8,
        },
      },
      childOptions(this, opts),
    );
    // Letters and digits only: the admin tool reads credentials as "realm,clientId,clientSecret".
    const clientId = new random.RandomString(
      `${name}-root-client-id`,
      { length: 16, special: false, upper: false },
      childOptions(this, opts),
    );
    const clientSecret = new random.RandomPassword(
      `${name}-root-client-secret`,
      { length: 40, special: false },
      childOptions(this, opts),
    );
    const root = new k8s.core.v1.Secret(
      `${name}-root-credentials`,
      {
        metadata: { name: objects.rootCredentialsSecret.name, namespace },
        stringData: {
          [objects.rootCredentialsSecret.clientIdKey]: clientId.result,
          [objects.rootCredentialsSecret.clientSecretKey]: clientSecret.result,
        },
      },
      childOptions(this, opts),
    );
    const storage = objects.catalogStorageConfigMap;
    new k8s.core.v1.ConfigMap(
      `${name}-catalog-storage`,
      {
        metadata: { name: storage.name, namespace },
        data: {
          [storage.roleArnKey]: args.catalogStorage.roleArn,
          [storage.externalIdKey]: args.catalogStorage.externalId,
          [storage.kmsKeyArnKey]: args.catalogStorage.kmsKeyArn,
        },
      },
      childOptions(this, opts),
    );
    this.secrets = [persistence, tokenBroker, root];

    const typed: PolarisValues = {
      replicaCount: replicas,
      image: splitImage(VERSIONS.polaris.image),
      serviceAccount: { create: true, name: PLATFORM_SERVICE_ACCOUNTS.polaris },
      service: { ports: [{ name: 'polaris-http', port: POLARIS_SERVICE.port }] },
      managementService: { ports: [{ name: 'polaris-mgmt', port: POLARIS_SERVICE.managementPort }] },
      resources,
      nodeSelector: args.nodeSelector ?? DEFAULTS.nodeSelector,
      tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
      priorityClassName: PLATFORM_PRIORITY_CLASS.name,
      livenessProbe: DEFAULTS.liveness,
      readinessProbe: DEFAULTS.readiness,
      persistence: {
        type: 'relational-jdbc',
        relationalJdbc: {
          secret: {
            name: objects.persistenceSecret.name,
            username: objects.persistenceSecret.usernameKey,
            password: objects.persistenceSecret.passwordKey,
            jdbcUrl: objects.persistenceSecret.jdbcUrlKey,
          },
        },
      },
      authentication: {
        type: 'internal',
        tokenBroker: {
          type: 'rsa-key-pair',
          maxTokenGeneration: 'PT1H',
          secret: {
            name: objects.tokenBrokerSecret.name,
            rsaKeyPair: {
              publicKey: objects.tokenBrokerSecret.publicKeyKey,
              privateKey: objects.tokenBrokerSecret.privateKeyKey,
            },
          },
        },
      },
      realmContext: { type: 'default', realms: [args.realm] },
      features: { SUPPORTED_CATALOG_STORAGE_TYPES: ['S3'] },
      // A budget only makes sense with a replica to spare.
      podDisruptionBudget: replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
      // No Prometheus Operator runs in the cluster; metrics stay available on the management port.
      serviceMonitor: { enabled: false },
    };
    this.values = mergeValues(typed, args.extraValues);
    this.release = pinnedRelease(
      `${name}-release`,
      {
        chart: { chart: 'polaris', version: VERSIONS.polaris.chart, repository: VERSIONS.polaris.chartRepository },
        releaseName: PLATFORM_RELEASES.polaris.release,
        namespace,
        values: this.values,
      },
      childOptions(this, opts, persistence, tokenBroker),
    );
    this.registerOutputs({ status: this.release.status });
  }
}
