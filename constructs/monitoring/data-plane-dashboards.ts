import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MONITORING } from '../conventions';
import { Dashboard, dataPlaneDashboards } from './dashboards';
import { MonitoringPlan } from './monitoring-plan';

/** Props of {@link DataPlaneDashboards}. */
export interface DataPlaneDashboardsProps {
  readonly plan: MonitoringPlan;
}

/**
 * The Grafana dashboards as ConfigMaps in the Prometheus namespace, labelled for the Grafana sidecar
 * (`grafana.sidecar.dashboards.label` = `grafana_dashboard`, value "1"; it searches every namespace).
 */
export class DataPlaneDashboards extends Construct {
  public readonly dashboards: readonly Dashboard[];

  constructor(scope: Construct, id: string, props: DataPlaneDashboardsProps) {
    super(scope, id);
    this.dashboards = dataPlaneDashboards(props.plan);
    for (const dashboard of this.dashboards) {
      new k8s.KubeConfigMap(this, dashboard.uid, {
        metadata: {
          name: `dashboard-${dashboard.uid}`,
          namespace: props.plan.target.namespace,
          labels: { [MONITORING.dashboardLabel.key]: MONITORING.dashboardLabel.value },
        },
        data: { [`${dashboard.uid}.json`]: JSON.stringify(dashboard) },
      });
    }
  }
}
