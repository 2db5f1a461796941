import * as path from 'path';
import { formatFinding, validateObjects } from '../../validation';

/** The fixture environments: one folder per case under test/fixtures/manifests. */
export const FIXTURES = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'manifests'));

/** Validates `objects` as one in-memory environment named `test`; findings name the file `test/objects.k8s.yaml`. */
export function findingLines(...objects: object[]): string[] {
  return validateObjects([{ name: 'objects', objects }], 'test').findings.map(formatFinding);
}

/** A container with what every test needs; `extra` adds or overrides fields. */
export function container(extra: object = {}): object {
  return { name: 'main', image: 'busybox:1.36', ...extra };
}

/** A Pod named `worker` in the default namespace; `spec` adds or overrides pod spec fields. */
export function pod(spec: object = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'worker', namespace: 'default' },
    spec: { containers: [container()], ...spec },
  };
}

/** An object of `kind` named `name` in the default namespace, with `fields` beside metadata. */
export function object(apiVersion: string, kind: string, name: string, fields: object = {}): object {
  return { apiVersion, kind, metadata: { name, namespace: 'default' }, ...fields };
}

/** The smallest SparkApplication spec the CRD accepts; `extra` adds or overrides fields. */
export function sparkApplicationSpec(extra: object = {}): object {
  return {
    type: 'Scala',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    sparkVersion: '4.0.1',
    driver: { cores: 1, memory: '512m' },
    executor: { cores: 1, instances: 1, memory: '512m' },
    ...extra,
  };
}
