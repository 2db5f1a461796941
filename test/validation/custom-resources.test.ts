import { createAjv } from '../../validation/ajv-setup';
import { SchemaNode, structuralSchema } from '../../validation/schema-transform';
import { findingLines, sparkApplicationSpec } from './helpers';

const FILE = 'test/objects.k8s.yaml';

/** Compiles a small CRD schema with the structural transform and returns the ajv error messages for `value`. */
function errors(schema: SchemaNode, value: unknown): string[] {
  const validate = createAjv().compile(structuralSchema(structuredClone(schema)));
  return validate(value) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

describe('structural schemas (CRD semantics)', () => {
  const root = (spec: SchemaNode): SchemaNode => ({ type: 'object', properties: { spec } });

  test('unknown fields are rejected, also under objects that declare no properties', () => {
    const schema = root({ type: 'object', properties: { size: { type: 'integer' }, extra: { type: 'object' } } });
    expect(errors(schema, { spec: { size: 1, sise: 2, extra: { anything: true } } })).toEqual([
      '/spec must NOT have additional properties',
      '/spec/extra must NOT have additional properties',
    ]);
  });

  test('x-kubernetes-preserve-unknown-fields keeps unknown fields and still checks declared ones', () => {
    const schema = root({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { size: { type: 'integer' } },
    });
    expect(errors(schema, { spec: { anything: { nested: 1 } } })).toEqual([]);
    expect(errors(schema, { spec: { size: 'big' } })).toEqual(['/spec/size must be integer']);
  });

  test('x-kubernetes-int-or-string takes an integer or a string; with the quantity pattern, a quantity', () => {
    const schema = root({
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        memory: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          pattern:
            '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
        },
      },
    });
    expect(errors(schema, { spec: { port: 'http', memory: '2Gi' } })).toEqual([]);
    expect(errors(schema, { spec: { port: 8080, memory: 1024 } })).toEqual([]);
    expect(errors(schema, { spec: { port: true, memory: '2GB' } })).toEqual([
      '/spec/port must be integer,string',
      '/spec/memory must match format "quantity"',
    ]);
  });

  test('nullable fields accept null; others do not', () => {
    const schema = root({
      type: 'object',
      properties: { at: { type: 'string', nullable: true }, by: { type: 'string' } },
    });
    expect(errors(schema, { spec: { at: null } })).toEqual([]);
    expect(errors(schema, { spec: { by: null } })).toEqual(['/spec/by must be string']);
  });

  test('list types: set entries and map keys are unique', () => {
    const schema = root({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
        },
      },
    });
    expect(
      errors(schema, { spec: { tags: ['a', 'b'], ports: [{ port: 80 }, { port: 80, protocol: 'UDP' }] } }),
    ).toEqual([]);
    expect(
      errors(schema, { spec: { tags: ['a', 'a'], ports: [{ port: 80 }, { port: 80, protocol: 'TCP' }] } }),
    ).toEqual([
      '/spec/tags/1 duplicate entries for key "a"',
      '/spec/ports/1 duplicate entries for key [port=80,protocol="TCP"]',
    ]);
  });

  test('embedded resources need apiVersion and kind and may carry metadata', () => {
    const schema = root({
      type: 'object',
      properties: {
        resource: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { data: { type: 'string' } } },
      },
    });
    expect(
      errors(schema, {
        spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: 'y' } },
      }),
    ).toEqual([]);
    expect(errors(schema, { spec: { resource: { data: 'y' } } })).toEqual([
      "/spec/resource must have required property 'apiVersion'",
      "/spec/resource must have required property 'kind'",
    ]);
  });

  test('the root metadata is left to the ObjectMeta check', () => {
    const schema = {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
    };
    expect(
      errors(schema, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { a: 'b' } } }),
    ).toEqual([]);
  });
});

describe('Spark Operator custom resources', () => {
  const app = (spec: object, metadata: object = {}) => ({
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'pi', namespace: 'default', ...metadata },
    spec: sparkApplicationSpec(spec),
  });

  test('CRD enums and int-or-string fields are enforced', () => {
    expect(
      findingLines(app({ restartPolicy: { type: 'Sometimes' }, batchSchedulerOptions: { resources: { cpu: true } } })),
    ).toEqual([
      `${FILE}: SparkApplication default/pi: spec.batchSchedulerOptions.resources.cpu: expected integer or string, got true`,
      `${FILE}: SparkApplication default/pi: spec.restartPolicy.type: unsupported value "Sometimes"; supported values: "Never", "Always", "OnFailure"`,
    ]);
  });

  test('metadata is checked as ObjectMeta', () => {
    expect(findingLines(app({}, { labelz: { a: 'b' } }))).toEqual([
      `${FILE}: SparkApplication default/pi: metadata.labelz: unknown field "labelz"`,
    ]);
  });

  test('driver and executor templates are checked as PodTemplateSpecs; Spark supplies the container when there is none', () => {
    const template = { metadata: { labels: { role: 'driver' } }, spec: { nodeSelectr: { pool: 'spark' } } };
    expect(findingLines(app({ driver: { cores: 1, memory: '512m', template } }))).toEqual([
      `${FILE}: SparkApplication default/pi: spec.driver.template.spec.nodeSelectr: unknown field "nodeSelectr"`,
    ]);
    const container = { name: 'spark-kubernetes-executor', resources: { limits: { 'ephemeral-storage': '20GB' } } };
    expect(
      findingLines(app({ executor: { cores: 1, memory: '512m', template: { spec: { containers: [container] } } } })),
    ).toEqual([
      `${FILE}: SparkApplication default/pi: spec.executor.template.spec.containers[0].resources.limits.ephemeral-storage: ` +
        '"20GB" is not a valid quantity (a number with an optional suffix, such as 500m, 1.5Gi or 2e3)',
    ]);
  });

  test('names are DNS-1035 labels (the operator webhook)', () => {
    expect(findingLines(app({}, { name: '1-pi' }))).toEqual([
      `${FILE}: SparkApplication default/1-pi: metadata.name: invalid value "1-pi": ` +
        "must be a lowercase RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
    ]);
  });

  test('an apiVersion the CRD does not serve is unknown', () => {
    expect(findingLines({ ...app({}), apiVersion: 'sparkoperator.k8s.io/v1beta1' })).toEqual([
      `${FILE}: SparkApplication default/pi: apiVersion: sparkoperator.k8s.io/v1beta1 SparkApplication is not served by Kubernetes 1.28 or 1.35, nor by a known CRD`,
    ]);
  });
});
