import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  DataPlaneError,
  EnvironmentConfig,
  EnvironmentSchema,
  Problems,
  PropsError,
  ScheduledJobInput,
  show,
  TenantCatalogAccessInput,
  TenantInput,
  validate,
} from '../../config';
import { addPlatformServiceObjects } from '../../constructs/platform';
import { addTenancy } from '../../constructs/tenancy';
import { addWorkloads } from '../../constructs/workloads';
import { addOffloads } from '../../constructs/offload';
import { addMonitoring, monitoringPlan } from './monitoring';

/** Labels stamped on every object the package synthesizes. */
export function commonLabels(env: EnvironmentConfig): Record<string, string> {
  return { 'app.kubernetes.io/part-of': 'spark-iceberg-data-plane', 'dataplane.io/environment': env.name };
}

/**
 * The charts of one environment, one per layer. They are applied in this order (platform services before tenants,
 * tenants before the workloads that run in them) and written to `dist/<env>/<layer>.k8s.yaml`.
 */
export interface DataPlaneCharts {
  /** Platform namespaces and the objects the platform services need (queue config, network policies, provisioning). */
  readonly platform: Chart;
  /** One namespace per tenant with its quota, limits, RBAC and network policies. */
  readonly tenants: Chart;
  /** Applied after the tenants and the Helm releases: the Polaris provisioning Job that writes tenant credentials. */
  readonly provisioning: Chart;
  /** Scheduled Spark applications and offload jobs. */
  readonly workloads: Chart;
  /**
   * Applied last, once the monitoring stack (and so its CRDs) is installed: PodMonitors, ServiceMonitors, the
   * PrometheusRule, the Grafana dashboards and the network policies admitting the scrapes.
   */
  readonly monitoring: Chart;
}

/** The layers in apply order. */
export const CHART_ORDER: readonly (keyof DataPlaneCharts)[] = [
  'platform',
  'tenants',
  'provisioning',
  'workloads',
  'monitoring',
];

/** Props of {@link DataPlane}. */
export interface DataPlaneProps {
  /** The environment to build: loaded from its file (`loadEnvironment`) or parsed with `EnvironmentSchema`. */
  readonly environment: EnvironmentConfig;
}

/** A tenant added from TypeScript: what the environment file's `tenants` entry holds, plus its catalog access. */
export interface DataPlaneTenantInput extends TenantInput {
  /**
   * What the tenant's jobs may do in the Polaris catalog (its `services.polaris.catalogAccess` entry).
   * @default - the tenant writes the namespace named like it and reads nothing else
   */
  readonly catalogAccess?: TenantCatalogAccessInput;
}

/**
 * One environment's data plane: its charts, one per layer in {@link CHART_ORDER}, are children of this construct, so
 * construct paths start with its id and several environments fit in one App.
 *
 * The environment file and the TypeScript methods are two doors to one model, the environment: `addTenant` and
 * `addScheduledJob` add to it, check the whole of it with the environment schema's rules (tenants exist, names are
 * unique, budgets fit the capacity) and rebuild the charts from it, so the build-time rules (a job fits its tenant's
 * quota, no job writes a table while the offload does, the queue configuration is valid) run as well. A tenant added
 * here gets its namespace, YuniKorn leaf queue, Polaris principal, grants and credentials Secret and History Server
 * access exactly as one in the file does. A refused addition leaves the data plane as it was and throws a
 * {@link PropsError} naming this construct and every problem.
 */
export class DataPlane extends Construct {
  /** The charts, one per layer. Objects added to them by hand survive additions made through this construct. */
  public readonly charts: DataPlaneCharts;
  private model: EnvironmentConfig;
  /** What this construct built into the charts, removed before each rebuild. */
  private built: IConstruct[] = [];

  constructor(scope: Construct, id: string, props: DataPlaneProps) {
    super(scope, id);
    this.model = props.environment;
    const chart = (layer: keyof DataPlaneCharts) =>
      new Chart(this, layer, { disableResourceNameHashes: true, labels: commonLabels(props.environment) });
    this.charts = {
      platform: chart('platform'),
      tenants: chart('tenants'),
      provisioning: chart('provisioning'),
      workloads: chart('workloads'),
      monitoring: chart('monitoring'),
    };
    // The environment's own problems name its file (a ConfigError), as `npm run synth` reports them.
    this.build();
  }

  /** The environment as built so far: the file's content and everything added since (the report's input). */
  public get environment(): EnvironmentConfig {
    return this.model;
  }

  /** Adds a tenant, with everything a tenant of the environment file gets. */
  public addTenant(input: DataPlaneTenantInput): void {
    const { catalogAccess, ...tenant } = input;
    this.change(`addTenant(${show(input.name)})`, (env) => ({
      ...env,
      tenants: [...env.tenants, tenant],
      services:
        catalogAccess === undefined
          ? env.services
          : {
              ...env.services,
              polaris: {
                ...env.services?.polaris,
                catalogAccess: { ...env.services?.polaris?.catalogAccess, [tenant.name]: catalogAccess },
              },
            },
    }));
  }

  /** Adds a job from one of the templates on a schedule, as an entry of the environment file's `jobs.scheduled`. */
  public addScheduledJob(input: ScheduledJobInput): void {
    this.change(`addScheduledJob(${show(input.name)})`, (env) => ({
      ...env,
      jobs: { ...env.jobs, scheduled: [...env.jobs.scheduled, input] },
    }));
  }

  /**
   * Checks the edited environment with the schema, then rebuilds the charts from it. On any problem the previous
   * environment is rebuilt and the problems are thrown under this construct's path.
   */
  private change(what: string, edit: (env: EnvironmentConfig) => unknown): void {
    const subject = `${this.node.path}: ${what}`;
    const candidate = edit(this.model);
    const checked = validate(EnvironmentSchema, candidate);
    const problems = new Problems(subject);
    problems.addAll(checked.problems, candidate);
    problems.throwIfAny();
    const previous = this.model;
    try {
      this.model = checked.data!;
      this.build();
    } catch (error) {
      if (!(error instanceof DataPlaneError)) throw error;
      this.model = previous;
      this.build();
      throw new PropsError(subject, error.problems);
    }
  }

  /** Builds every Kubernetes object of the environment into the charts, replacing what a previous build made. */
  private build(): void {
    for (const child of this.built) child.node.scope!.node.tryRemoveChild(child.node.id);
    const before = new Set(CHART_ORDER.flatMap((layer) => this.charts[layer].node.children));
    try {
      buildInto(this.charts, this.model);
    } finally {
      this.built = CHART_ORDER.flatMap((layer) => this.charts[layer].node.children).filter((c) => !before.has(c));
    }
  }
}

function buildInto(charts: DataPlaneCharts, env: EnvironmentConfig): void {
  // No chart-level addDependency: each chart is its own file, applied in CHART_ORDER by the Pulumi program (and by
  // `kubectl apply` of the files in that order); cdk8s would instead tie every object of one chart to every object of
  // the other, which grows with the product of their sizes.
  addPlatformServiceObjects(charts, env, commonLabels(env));
  addTenancy(charts, env);
  const offloads = addOffloads(charts.workloads, env);
  addWorkloads(charts.workloads, env, offloads);
  addMonitoring(charts.monitoring, env, monitoringPlan(env, charts.workloads, offloads));
}

/**
 * Builds every Kubernetes object of one environment into `scope` as a {@link DataPlane} named like the environment.
 * Throws a `DataPlaneError` on invalid input.
 */
export function buildDataPlane(scope: Construct, env: EnvironmentConfig): DataPlaneCharts {
  return new DataPlane(scope, env.name, { environment: env }).charts;
}
