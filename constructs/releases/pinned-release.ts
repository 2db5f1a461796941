import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/** A chart pinned to one version in one repository (from VERSIONS). */
export interface PinnedChart {
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
}

/** What {@link pinnedRelease} installs. */
export interface PinnedReleaseArgs {
  readonly chart: PinnedChart;
  /** Helm release name; fixed so the chart's object names (Services, webhooks) are predictable. */
  readonly releaseName: string;
  /** Namespace, created beforehand by the platform layer. */
  readonly namespace: string;
  readonly values: object;
}

/**
 * A Helm release (`helm.v3.Release`, so chart hooks run) of a pinned chart. It is atomic (a failed install or upgrade rolls
 * back) and waits for the workloads to be ready, so resources that depend on it start only once the service is up.
 */
export function pinnedRelease(
  name: string,
  args: PinnedReleaseArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      namespace: args.namespace,
      createNamespace: false,
      chart: args.chart.chart,
      version: args.chart.version,
      repositoryOpts: { repo: args.chart.repository },
      values: args.values as Record<string, pulumi.Input<unknown>>,
      atomic: true,
      cleanupOnFail: true,
      waitForJobs: true,
      timeout: 600,
      maxHistory: 5,
    },
    opts,
  );
}
