import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { ConfigError, EnvironmentConfig, loadEnvironment, LoadEnvironmentOptions } from '../../config';
import { buildDataPlane, CHART_ORDER } from './data-plane';

/** A Kubernetes object as synthesized (plain JSON). */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

/** One layer's objects, in dependency order. */
export interface RenderedChart {
  /** The layer name; also the file name `<name>.k8s.yaml`. */
  readonly name: string;
  readonly objects: readonly KubeObject[];
}

/** Synthesizes one environment in memory, without writing anything. */
export function renderEnvironment(env: EnvironmentConfig): RenderedChart[] {
  const charts = buildDataPlane(new App({ outdir: path.join('dist', env.name) }), env);
  return CHART_ORDER.map((name) => ({ name, objects: charts[name].toJson() as KubeObject[] }));
}

/** One environment, loaded and rendered. */
export interface RenderedEnvironment {
  readonly env: EnvironmentConfig;
  readonly charts: readonly RenderedChart[];
}

/**
 * Loads and renders the named environments in memory. A bad environment, whether the schema or a later stage finds
 * the problem, is one ConfigError listing every problem of every environment (each line naming its file); nothing is
 * returned unless all of them are good, so a caller writes all or nothing.
 */
export function renderEnvironments(
  names: readonly string[],
  options: LoadEnvironmentOptions = {},
): RenderedEnvironment[] {
  const rendered: RenderedEnvironment[] = [];
  const problems: string[] = [];
  for (const name of names) {
    try {
      const env = loadEnvironment(name, options);
      rendered.push({ env, charts: renderEnvironment(env) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError('configuration', problems);
  return rendered;
}

/** Suffix of every manifest file written (and read back by `npm run validate`). */
export const MANIFEST_FILE_SUFFIX = '.k8s.yaml';

/** The file name a chart is written to. */
export function chartFileName(chart: Pick<RenderedChart, 'name'>): string {
  return `${chart.name}${MANIFEST_FILE_SUFFIX}`;
}

/** Replaces `<outdir>/<env>/` with the rendered charts; returns the files written. */
export function writeEnvironment(outdir: string, envName: string, charts: readonly RenderedChart[]): string[] {
  const dir = path.join(outdir, envName);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return charts.map((chart) => {
    const file = path.join(dir, chartFileName(chart));
    fs.writeFileSync(file, Yaml.stringify(...chart.objects));
    return file;
  });
}
