import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import {
  ConfigError,
  EnvironmentConfig,
  KubeObject,
  loadEnvironment,
  LoadEnvironmentOptions,
  MANIFEST_FILE_SUFFIX,
  manifestFileName,
} from '../../config';
import { buildDataPlane, CHART_ORDER } from './data-plane';

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

/**
 * Writes the rendered charts to `<outdir>/<env>/` and removes the manifests a previous synth left there that this one
 * no longer writes; every other file (a report, a backfill folder) stays. Returns the files written.
 */
export function writeEnvironment(outdir: string, envName: string, charts: readonly RenderedChart[]): string[] {
  const dir = path.join(outdir, envName);
  fs.mkdirSync(dir, { recursive: true });
  const written = charts.map((chart) => {
    const file = path.join(dir, manifestFileName(chart.name));
    fs.writeFileSync(file, Yaml.stringify(...chart.objects));
    return file;
  });
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith(MANIFEST_FILE_SUFFIX) && !written.includes(file)) fs.rmSync(file);
  }
  return written;
}
