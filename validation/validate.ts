import * as fs from 'fs';
import * as path from 'path';
import { BACKFILLS_DIR, DataPlaneError, manifestFileName } from '../config';
import { MANIFEST_CHECKS } from './checks';
import { compareFindings, Finding, ManifestCheck, ManifestObject } from './finding';
import { readManifestFolder } from './manifest-files';
import { asObject } from './object-access';
import { SchemaSet, sharedSchemaSet } from './schema-set';

/** Options of {@link validateObjects} and {@link validateDirectory}. */
export interface ValidateOptions {
  /**
   * The checks to run.
   * @default MANIFEST_CHECKS
   */
  readonly checks?: readonly ManifestCheck[];
  /**
   * The schemas to check against.
   * @default - the process-wide set read from `sharedDataDir('schemas')` and `sharedDataDir('crds')`
   */
  readonly schemas?: SchemaSet;
}

/** What a validation run saw and found. */
export interface ValidationReport {
  /** Every finding, ordered by file, document and path; empty when everything would be accepted. */
  readonly findings: readonly Finding[];
  readonly environments: readonly string[];
  readonly files: readonly string[];
  readonly objectCount: number;
}

/** Objects grouped as a chart renders them (`renderEnvironment(env)` returns a list of these). */
export interface ObjectGroup {
  /** The chart name; findings name the file `<environment>/<name>.k8s.yaml` it is written to. */
  readonly name: string;
  readonly objects: readonly unknown[];
}

/**
 * Validates one environment's synthesized objects in memory, as strictly as `npm run validate` checks the files.
 *
 * @example
 * const report = validateObjects(renderEnvironment(env), env.name);
 * expect(report.findings.map(formatFinding)).toEqual([]);
 */
export function validateObjects(
  groups: readonly ObjectGroup[],
  environment: string,
  options: ValidateOptions = {},
): ValidationReport {
  const files = groups.map((group) => path.join(environment, manifestFileName(group.name)));
  const objects: ManifestObject[] = [];
  const findings: Finding[] = [];
  groups.forEach((group, i) =>
    group.objects.forEach((value, index) => {
      const object = asObject(value);
      const at = { file: files[i], document: index + 1 };
      if (object === undefined) findings.push({ ...at, path: '', message: 'expected a Kubernetes object' });
      else objects.push({ ...at, object });
    }),
  );
  findings.push(...runChecks(objects, environment, options));
  return { findings: findings.sort(compareFindings), environments: [environment], files, objectCount: objects.length };
}

/**
 * Validates the manifests `npm run synth` and `npm run backfill` wrote: every `<dir>/<environment>/*.k8s.yaml` and
 * `<dir>/backfills/<environment>/*.k8s.yaml`, each folder on its own (duplicates and namespaces are judged per folder).
 * Unparseable YAML and duplicate keys are findings too.
 *
 * @param environments - the environments to check (their backfills too); default: every folder of `dir` and of
 *   `<dir>/backfills` that holds manifests
 */
export function validateDirectory(
  dir: string,
  environments?: readonly string[],
  options: ValidateOptions = {},
): ValidationReport {
  if (!fs.existsSync(dir))
    throw new DataPlaneError(dir, ['the folder does not exist; run `npm run synth` first, or pass --dir']);
  const names = environments ?? subfolders(dir).filter((name) => name !== BACKFILLS_DIR);
  const read = names.map((name) => ({ name, ...readFolder(path.join(dir, name)) }));
  const backfillNames = environments ?? subfolders(path.join(dir, BACKFILLS_DIR));
  // Backfills are optional: a folder without manifests is skipped even when its environment was named.
  const backfills = backfillNames
    .map((name) => path.join(BACKFILLS_DIR, name))
    .map((name) => ({ name, ...readFolder(path.join(dir, name)) }))
    .filter((folder) => folder.files.length > 0);
  const folders = [...(environments ? read : read.filter((folder) => folder.files.length > 0)), ...backfills];
  const empty = folders.filter((folder) => folder.files.length === 0).map((folder) => folder.name);
  if (folders.length === 0 || empty.length > 0) {
    const which = empty.length > 0 ? ` for ${empty.join(', ')}` : '';
    throw new DataPlaneError(dir, [`no *.k8s.yaml files${which}; run \`npm run synth\` first`]);
  }
  const findings = folders.flatMap((folder) => [
    ...folder.findings,
    ...runChecks(folder.objects, folder.name, options),
  ]);
  return {
    findings: findings.sort(compareFindings),
    environments: folders.map((folder) => folder.name),
    files: folders.flatMap((folder) => folder.files),
    objectCount: folders.reduce((sum, folder) => sum + folder.objects.length, 0),
  };
}

function subfolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function readFolder(dir: string): ReturnType<typeof readManifestFolder> {
  return fs.existsSync(dir) ? readManifestFolder(dir) : { files: [], objects: [], findings: [] };
}

function runChecks(objects: readonly ManifestObject[], environment: string, options: ValidateOptions): Finding[] {
  const context = { environment, schemas: options.schemas ?? sharedSchemaSet() };
  return (options.checks ?? MANIFEST_CHECKS).flatMap((check) => check(objects, context));
}
