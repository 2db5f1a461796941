import { stringify } from 'yaml';
import { formatFinding, MANIFEST_CHECKS, validateObjects, yunikornQueues } from '../../validation';

const configMap = (name: string, queues: unknown) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'yunikorn' },
  data: { 'queues.yaml': stringify(queues) },
});

const lines = (...objects: object[]) =>
  validateObjects([{ name: 'platform', objects }], 'test', { checks: [yunikornQueues] }).findings.map(formatFinding);

describe('the yunikornQueues validation check', () => {
  test('is one of the checks npm run validate runs', () => {
    expect(MANIFEST_CHECKS).toContain(yunikornQueues);
  });

  test("reports YuniKorn's rules on queues.yaml of yunikorn-configs, at the data key", () => {
    const bad = {
      partitions: [
        {
          name: 'default',
          queues: [
            {
              name: 'root',
              queues: [{ name: 'team.a', resources: { guaranteed: { vcore: '4' }, max: { vcore: '2' } } }],
            },
          ],
        },
      ],
    };
    expect(lines(configMap('yunikorn-configs', bad))).toEqual([
      'test/platform.k8s.yaml: ConfigMap yunikorn/yunikorn-configs: data[queues.yaml]: root.team.a: guaranteed vcore 4 is above max vcore 2',
      'test/platform.k8s.yaml: ConfigMap yunikorn/yunikorn-configs: data[queues.yaml]: root.team.a: queue name "team.a" is invalid; expected 1 to 64 letters, digits or _ : # / @ - (no dots)',
    ]);
  });

  test('passes a valid configuration and ignores other ConfigMaps', () => {
    const good = { partitions: [{ name: 'default', queues: [{ name: 'root', submitacl: '*' }] }] };
    expect(lines(configMap('yunikorn-configs', good), configMap('something-else', { nonsense: true }))).toEqual([]);
  });

  test("reports, against the environment's tenant namespaces, a tenant admitted to another tenant's queue", () => {
    const namespace = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'dataplane.io/tenant': name } },
    });
    const leaf = (name: string, submitacl: string) => ({ name, submitacl });
    const config = (aclOfB: string) => ({
      partitions: [
        {
          name: 'default',
          placementrules: [{ name: 'provided', create: false }],
          queues: [
            {
              name: 'root',
              queues: [
                {
                  name: 'tenants',
                  parent: true,
                  queues: [leaf('a', 'serviceaccount.a.spark-driver'), leaf('b', aclOfB)],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(
      lines(namespace('a'), namespace('b'), configMap('yunikorn-configs', config('serviceaccount.b.spark-driver'))),
    ).toEqual([]);
    expect(
      lines(
        namespace('a'),
        namespace('b'),
        configMap('yunikorn-configs', config('serviceaccount.b.spark-driver,serviceaccount.a.spark-driver')),
      ),
    ).toEqual([
      "test/platform.k8s.yaml: ConfigMap yunikorn/yunikorn-configs: data[queues.yaml]: tenant 'a' (user serviceaccount.a.spark-driver) is admitted to root.tenants.b when its pods name root.tenants.b; expected only its own queue root.tenants.a",
    ]);
  });
});
