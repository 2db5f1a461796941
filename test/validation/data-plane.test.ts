import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAllEnvironments } from '../../config';
import { renderEnvironment, writeEnvironment } from '../../stacks/k8s';
import { formatFinding, validateDirectory, validateObjects } from '../../validation';

describe('every shipped environment synthesizes to objects the API server accepts', () => {
  const environments = loadAllEnvironments();
  let dist: string;

  beforeAll(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-dist-'));
    for (const env of environments) writeEnvironment(dist, env.name, renderEnvironment(env));
  });

  afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

  test('the written manifests have no findings', () => {
    const report = validateDirectory(dist);
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.environments).toEqual(environments.map((env) => env.name).sort());
    expect(report.objectCount).toBeGreaterThan(0);
  });

  test.each(environments.map((env) => [env.name, env] as const))('%s in memory has no findings', (_name, env) => {
    expect(validateObjects(renderEnvironment(env), env.name).findings.map(formatFinding)).toEqual([]);
  });
});
