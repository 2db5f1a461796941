import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { EnvironmentConfig, KubeObject, MANIFEST_FILE_SUFFIX, manifestFileName } from '../../config';
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
