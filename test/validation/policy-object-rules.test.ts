import { findingLines, object } from './helpers';

const FILE = 'test/objects.k8s.yaml';

const quota = (spec: object) => object('v1', 'ResourceQuota', 'compute', { spec });
const limitRange = (limits: object[]) => object('v1', 'LimitRange', 'defaults', { spec: { limits } });
const priorityClass = (name: string, fields: object) => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  ...fields,
});

describe('ResourceQuota rules', () => {
  test('hard limits name standard or prefixed resources, with non-negative values and whole counts', () => {
    expect(
      findingLines(quota({ hard: { 'requests.cpu': '-1', pods: '1.5', cpus: '4', 'count/jobs.batch': '10' } })),
    ).toEqual([
      `${FILE}: ResourceQuota default/compute: spec.hard: invalid value "cpus": must be a standard resource for quota`,
      `${FILE}: ResourceQuota default/compute: spec.hard.pods: invalid value "1.5": must be an integer`,
      `${FILE}: ResourceQuota default/compute: spec.hard[requests.cpu]: invalid value "-1": must be greater than or equal to 0`,
    ]);
  });

  test('scopes must be known and not conflict', () => {
    expect(
      findingLines(quota({ hard: { pods: '10' }, scopes: ['Terminating', 'NotTerminating', 'Expensive'] })),
    ).toEqual([
      `${FILE}: ResourceQuota default/compute: spec.scopes: conflicting scopes "Terminating" and "NotTerminating"`,
      `${FILE}: ResourceQuota default/compute: spec.scopes[2]: unsupported scope "Expensive"; supported scopes: ` +
        '"Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"',
    ]);
  });

  test('BestEffort covers only pod counts', () => {
    expect(findingLines(quota({ hard: { pods: '10', 'requests.cpu': '4' }, scopes: ['BestEffort'] }))).toEqual([
      `${FILE}: ResourceQuota default/compute: spec.scopes[0]: unsupported scope "BestEffort" applied to resource "requests.cpu"`,
    ]);
  });

  test('scope selectors test pod scopes for existence only', () => {
    const scopeSelector = {
      matchExpressions: [
        { scopeName: 'PriorityClass', operator: 'In', values: ['high'] },
        { scopeName: 'NotBestEffort', operator: 'In', values: ['x'] },
      ],
    };
    expect(findingLines(quota({ hard: { pods: '10' }, scopeSelector }))).toEqual([
      `${FILE}: ResourceQuota default/compute: spec.scopeSelector.matchExpressions[1].operator: invalid value "In": must be 'Exists' when the scope is NotBestEffort`,
    ]);
  });
});

describe('LimitRange rules', () => {
  test('min <= defaultRequest <= default <= max', () => {
    expect(
      findingLines(
        limitRange([
          {
            type: 'Container',
            min: { cpu: '2' },
            default: { cpu: '1' },
            max: { cpu: '4', memory: '1Gi' },
            defaultRequest: { memory: '2Gi' },
          },
        ]),
      ),
    ).toEqual([
      `${FILE}: LimitRange default/defaults: spec.limits[0].defaultRequest.memory: defaultRequest value 2Gi is greater than max value 1Gi`,
      `${FILE}: LimitRange default/defaults: spec.limits[0].min.cpu: min value 2 is greater than default value 1`,
    ]);
  });

  test('types are known and appear once; Pod limits have no defaults', () => {
    expect(
      findingLines(limitRange([{ type: 'Pod', default: { cpu: '1' } }, { type: 'Pod' }, { type: 'Node' }])),
    ).toEqual([
      `${FILE}: LimitRange default/defaults: spec.limits[0].default: may not be specified when \`type\` is 'Pod'`,
      `${FILE}: LimitRange default/defaults: spec.limits[1].type: duplicate value "Pod"`,
      `${FILE}: LimitRange default/defaults: spec.limits[2].type: invalid value "Node": must be a standard limit type or fully qualified (Pod, Container, PersistentVolumeClaim)`,
    ]);
  });
});

describe('PriorityClass rules', () => {
  test('user priorities are at most one billion', () => {
    expect(findingLines(priorityClass('spark-critical', { value: 1000000001 }))).toEqual([
      `${FILE}: PriorityClass spark-critical: value: maximum allowed value of a user defined priority is 1000000000`,
    ]);
  });

  test("the 'system-' prefix is reserved", () => {
    expect(findingLines(priorityClass('system-spark', { value: 1000 }))).toEqual([
      `${FILE}: PriorityClass system-spark: metadata.name: priority class names with 'system-' prefix are reserved for system use only`,
    ]);
  });

  test('only one PriorityClass may be the global default', () => {
    expect(
      findingLines(
        priorityClass('batch', { value: 10, globalDefault: true }),
        priorityClass('interactive', { value: 20, globalDefault: true }),
      ),
    ).toEqual([
      `${FILE}: PriorityClass interactive: globalDefault: only one PriorityClass can be marked as globalDefault; PriorityClass "batch" already is`,
    ]);
  });
});

describe('ConfigMap and Secret rules', () => {
  test('keys are [-._a-zA-Z0-9]+, not starting with ".."', () => {
    expect(
      findingLines(object('v1', 'ConfigMap', 'conf', { data: { 'spark defaults.conf': 'x', '..data': 'y' } })),
    ).toEqual([
      `${FILE}: ConfigMap default/conf: data: invalid value "..data": must not start with '..'`,
      `${FILE}: ConfigMap default/conf: data: invalid value "spark defaults.conf": must consist of alphanumeric characters, '-', '_' or '.'`,
    ]);
  });

  test('a key is in data or binaryData, not both', () => {
    expect(
      findingLines(
        object('v1', 'ConfigMap', 'conf', { data: { truststore: 'x' }, binaryData: { truststore: 'eA==' } }),
      ),
    ).toEqual([
      `${FILE}: ConfigMap default/conf: binaryData.truststore: duplicate of key "truststore" present in data`,
    ]);
  });

  test('values total at most 1 MiB', () => {
    expect(findingLines(object('v1', 'ConfigMap', 'conf', { data: { a: 'x'.repeat(1024 * 1024), b: 'y' } }))).toEqual([
      `${FILE}: ConfigMap default/conf: data totals 1048577 bytes; a ConfigMap must not exceed 1048576 bytes`,
    ]);
    expect(
      findingLines(object('v1', 'Secret', 'blob', { data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } })),
    ).toEqual([`${FILE}: Secret default/blob: data totals 1048577 bytes; a Secret must not exceed 1048576 bytes`]);
  });
});
