import * as pulumi from '@pulumi/pulumi';
import { EnvironmentConfig } from '../../config';
import { withDependencies } from './child-options';
import { KubePrometheusStack } from './kube-prometheus-stack';
import { CatalogStorage, Polaris, PolarisDatabaseConnection } from './polaris';
import { SparkOperator } from './spark-operator';
import { Yunikorn } from './yunikorn';

/** What the platform services need from the AWS layer. */
export interface PlatformServicesInputs {
  /** The Polaris PostgreSQL database. */
  readonly polarisDatabase: PolarisDatabaseConnection;
  /** The catalog's S3 storage access (its role trusts Polaris's Pod Identity role). */
  readonly catalogStorage: CatalogStorage;
}

export interface PlatformServicesArgs extends PlatformServicesInputs {
  /** The environment: tenants, realm and the `services` settings. */
  readonly env: EnvironmentConfig;
}

/**
 * The Helm-installed platform services of one environment: YuniKorn, the Spark Operator and Polaris. The Spark Operator
 * depends on YuniKorn, so it is installed after it and removed before it (YuniKorn goes last). Give the component
 * `dependsOn` the platform layer (namespaces, queue ConfigMap) and make the tenant layer depend on it; the History Server
 * and the Polaris provisioning Job are synthesized objects in the platform and provisioning layers.
 */
export class PlatformServices extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:releases:PlatformServices';
  public readonly yunikorn: Yunikorn;
  public readonly sparkOperator: SparkOperator;
  public readonly polaris: Polaris;
  public readonly monitoring?: KubePrometheusStack;

  constructor(name: string, args: PlatformServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PlatformServices.TYPE, name, {}, opts);
    const services = args.env.services ?? {};
    const dependsOn = opts?.dependsOn;
    this.yunikorn = new Yunikorn(
      `${name}-yunikorn`,
      {
        tenantNamespaces: args.env.tenants.map((t) => t.name),
        schedulerResources: services.yunikorn?.schedulerResources,
        admissionControllerReplicas: services.yunikorn?.admissionControllerReplicas,
        admissionControllerResources: services.yunikorn?.admissionControllerResources,
      },
      { parent: this, dependsOn },
    );
    this.sparkOperator = new SparkOperator(`${name}-spark-operator`, services.sparkOperator ?? {}, {
      parent: this,
      dependsOn: withDependencies(dependsOn, this.yunikorn),
    });
    this.polaris = new Polaris(
      `${name}-polaris`,
      {
        realm: args.env.catalog.realm,
        database: args.polarisDatabase,
        catalogStorage: args.catalogStorage,
        replicas: services.polaris?.replicas,
        resources: services.polaris?.resources,
      },
      { parent: this, dependsOn },
    );
    // The monitoring stack, unless the environment brings its own Prometheus (the monitoring layer waits for it).
    this.monitoring = args.env.monitoring.existingPrometheus
      ? undefined
      : new KubePrometheusStack(`${name}-monitoring`, args.env.monitoring.stack ?? {}, { parent: this, dependsOn });
    this.registerOutputs({});
  }
}
