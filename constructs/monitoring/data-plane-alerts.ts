import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems, VERSIONS } from '../../config';
import { alertRuleGroups, AlertSpec, alertSpecs, RuleGroup } from './alert-rules';
import { lossHorizonHours, MonitoringPlan, offloadStaleAfterSeconds } from './monitoring-plan';

/** Props of {@link DataPlaneAlerts}. */
export interface DataPlaneAlertsProps {
  readonly plan: MonitoringPlan;
  /**
   * Name of the PrometheusRule.
   * @default 'dataplane-alerts'
   */
  readonly name?: string;
}

const DEFAULTS = { name: 'dataplane-alerts' };

/**
 * One PrometheusRule with every alert of the environment (see `alert-rules.ts`). An offload whose loss horizon leaves no
 * time between a missed run and the first lost row is refused: its alert could only fire too late.
 */
export class DataPlaneAlerts extends Construct {
  /** What the alerts were generated from. */
  public readonly plan: MonitoringPlan;
  public readonly groups: readonly RuleGroup[];
  /** Every alert with the labels it fires with and what it watches. */
  public readonly specs: readonly AlertSpec[];

  constructor(scope: Construct, id: string, props: DataPlaneAlertsProps) {
    super(scope, id);
    const problems = new Problems(this.node.path);
    for (const table of props.plan.offloadTables) {
      const horizon = lossHorizonHours(table);
      problems.check(
        offloadStaleAfterSeconds(table) < horizon * 3600,
        table.source,
        `loss horizon ${horizon} h`,
        `a loss horizon (min of outage tolerance and TTL - lag - lateness - 1 h) longer than one schedule period ` +
          `(${table.periodMinutes} min), so the freshness alert fires before rows of ${table.table} can be lost`,
      );
    }
    problems.throwIfAny();
    this.plan = props.plan;
    this.groups = alertRuleGroups(props.plan);
    this.specs = alertSpecs(props.plan).flatMap((g) => g.specs);
    new ApiObject(this, 'rule', {
      apiVersion: VERSIONS.monitoring.apiVersion,
      kind: 'PrometheusRule',
      metadata: {
        name: props.name ?? DEFAULTS.name,
        namespace: props.plan.target.namespace,
        labels: { ...props.plan.target.selectorLabels },
      },
      spec: { groups: this.groups },
    });
  }
}
