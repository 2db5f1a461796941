import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import { findSecretLeaks } from '../helpers/secret-leaks';

describe.each(ENVIRONMENT_NAMES)('%s: no secret is synthesized', (envName) => {
  const objects = renderEnvironment(loadEnvironment(envName)).flatMap((chart) => chart.objects);

  test('no Secret object with data, no secret-looking literal in env values or anywhere else', () => {
    expect(objects.length).toBeGreaterThan(30);
    expect(findSecretLeaks(objects)).toEqual([]);
  });

  test('the Polaris credentials and keys are referenced by name only', () => {
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === 'polaris-provisioner') as any;
    const env = [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers].flatMap(
      (c: any) => c.env,
    );
    const fromSecrets = env
      .filter((e: any) => e.valueFrom?.secretKeyRef)
      .map((e: any) => e.valueFrom.secretKeyRef.name);
    expect(new Set(fromSecrets)).toEqual(new Set(['polaris-persistence', 'polaris-root-credentials']));
  });
});

describe('the secret scanner', () => {
  test.each([
    ['a Secret with data', { kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } }, /Secret \/s carries data/],
    ['a Secret with stringData', { kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } }, /carries data/],
    [
      'a literal password env var',
      {
        kind: 'Job',
        metadata: { name: 'j' },
        spec: { containers: [{ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }] },
      },
      /sets DB_PASSWORD to a literal/,
    ],
    [
      'a PEM key in a ConfigMap',
      { kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'key.pem': '-----BEGIN PRIVATE KEY-----\nabc' } },
      /holds a PEM key/,
    ],
    [
      'an AWS access key',
      { kind: 'ConfigMap', metadata: { name: 'c' }, data: { id: 'AKIAABCDEFGHIJKLMNOP' } },
      /holds an AWS access key id/,
    ],
    [
      'a JDBC URL with a password',
      { kind: 'ConfigMap', metadata: { name: 'c' }, data: { url: 'jdbc:postgresql://db:5432/p?user=u&password=p' } },
      /holds a password parameter/,
    ],
    [
      'a credential in a Spark conf map',
      {
        kind: 'SparkApplication',
        metadata: { name: 'a' },
        spec: { sparkConf: { 'spark.sql.catalog.polaris.credential': 'id:secret' } },
      },
      /credential is a literal secret/,
    ],
  ])('reports %s', (_what, object, message) => {
    expect(findSecretLeaks([object]).join('\n')).toMatch(message);
  });

  test('accepts references to secrets', () => {
    const job = {
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        containers: [
          {
            args: ['-c', 'R,$(ROOT_CLIENT_ID),$(ROOT_CLIENT_SECRET)'],
            env: [
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } },
              { name: 'CLIENT_SECRET', value: '$(OTHER)' },
            ],
          },
        ],
      },
      data: { clientSecretKey: 'client-secret' },
      sparkConf: { 'spark.sql.catalog.polaris.token-refresh-enabled': 'true' },
    };
    expect(findSecretLeaks([job])).toEqual([]);
  });
});
