// The AWS part of the environment schema: defaults, the shipped environments, one test per rule.
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { AWS_DEFAULTS, ConfigError, environmentsDir, loadEnvironment, parseEnvironment, VERSIONS } from '../../config';

const devYaml = () => parse(fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8'));
const withChange = (change: (doc: any) => void) => {
  const doc = devYaml();
  change(doc);
  return () => parseEnvironment(stringify(doc), 'dev.yaml');
};

test('defaults apply when the aws section and the new network keys are left out', () => {
  const env = withChange((doc) => {
    delete doc.aws;
    doc.network = { vpcCidr: '10.20.0.0/16', availabilityZones: 2 };
  })();
  expect(env.network).toMatchObject({ natGateways: 'single', interfaceEndpoints: [] });
  expect(env.aws).toEqual({
    cluster: { version: VERSIONS.kubernetes.cluster, publicAccessCidrs: [], admins: [], logRetentionDays: 90 },
    database: { ...AWS_DEFAULTS.database },
    eventLogRetentionDays: AWS_DEFAULTS.eventLogRetentionDays,
    deletionProtection: false,
  });
});

test('the shipped environments: one NAT in dev, one per AZ elsewhere; a public endpoint except in prod; protection only in prod', () => {
  const [dev, staging, prod] = ['dev', 'staging', 'prod'].map((n) => loadEnvironment(n));
  expect([dev, staging, prod].map((e) => e.network.natGateways)).toEqual(['single', 'perAz', 'perAz']);
  expect([dev, staging, prod].map((e) => e.aws.cluster.publicAccessCidrs.length > 0)).toEqual([true, true, false]);
  expect([dev, staging, prod].map((e) => e.aws.deletionProtection)).toEqual([false, false, true]);
  expect(prod.aws.database.multiAz).toBe(true);
});

const rules: [string, (doc: any) => void, RegExp][] = [
  [
    'natGateways is single or perAz',
    (d) => (d.network.natGateways = 'two'),
    /'network.natGateways' is two; expected one of "single", "perAz"/,
  ],
  [
    'interface endpoints are known services',
    (d) => (d.network.interfaceEndpoints = ['ssm']),
    /'network.interfaceEndpoints\[0\]' is ssm; expected one of/,
  ],
  [
    'interface endpoints once each',
    (d) => (d.network.interfaceEndpoints = ['sts', 'sts']),
    /'network.interfaceEndpoints' .*each endpoint at most once/,
  ],
  [
    'cluster version has pinned add-ons',
    (d) => (d.aws.cluster.version = '1.30'),
    /'aws.cluster.version' is "1.30"; expected one of "1.34"/,
  ],
  [
    'public access CIDRs are CIDR blocks',
    (d) => (d.aws.cluster.publicAccessCidrs = ['office']),
    /'aws.cluster.publicAccessCidrs\[0\]' is office; expected an IPv4 CIDR block/,
  ],
  [
    'the public endpoint is never open to the internet',
    (d) => (d.aws.cluster.publicAccessCidrs = ['0.0.0.0/0']),
    /'aws.cluster.publicAccessCidrs\[0\]' .*narrower than \/0/,
  ],
  [
    'admins are role or user ARNs',
    (d) => (d.aws.cluster.admins = ['admin']),
    /'aws.cluster.admins\[0\]' is admin; expected an IAM role or user ARN/,
  ],
  [
    'admins once each',
    (d) => (d.aws.cluster.admins = [d.aws.cluster.admins[0], d.aws.cluster.admins[0]]),
    /'aws.cluster.admins' .*each principal at most once/,
  ],
  [
    'log retention is a CloudWatch period',
    (d) => (d.aws.cluster.logRetentionDays = 45),
    /'aws.cluster.logRetentionDays' is 45; expected one of the CloudWatch retention periods/,
  ],
  [
    'database instance class',
    (d) => (d.aws.database.instanceClass = 'large'),
    /'aws.database.instanceClass' is large; expected an RDS instance class/,
  ],
  [
    'database storage >= 20 GiB',
    (d) => (d.aws.database.allocatedStorageGb = 5),
    /'aws.database.allocatedStorageGb' is 5/,
  ],
  [
    'database autoscaling ceiling >= allocated',
    (d) => (d.aws.database.maxAllocatedStorageGb = 10),
    /'aws.database.maxAllocatedStorageGb' is 10; expected a whole number >= 20/,
  ],
  [
    'backups kept at most 35 days',
    (d) => (d.aws.database.backupRetentionDays = 40),
    /'aws.database.backupRetentionDays' is 40; expected at most 35 days/,
  ],
  ['event logs kept at least a day', (d) => (d.aws.eventLogRetentionDays = 0), /'aws.eventLogRetentionDays' is 0/],
  [
    'deletionProtection is a boolean',
    (d) => (d.aws.deletionProtection = 'yes'),
    /'aws.deletionProtection' is yes; expected true or false/,
  ],
  ['no unknown keys in the aws section', (d) => (d.aws.clusterName = 'x'), /'aws.clusterName' is an unknown key/],
];

test.each(rules)('%s', (_rule, change, message) => {
  const load = withChange(change);
  expect(load).toThrow(ConfigError);
  expect(load).toThrow(message);
});

test('AWS pins agree with each other: add-ons for the default cluster minor, kube-proxy on that minor, the Postgres family on the engine major', () => {
  const addons = VERSIONS.eksAddons[VERSIONS.kubernetes.cluster as keyof typeof VERSIONS.eksAddons];
  expect(addons).toBeDefined();
  expect(addons['kube-proxy']).toMatch(new RegExp(`^v${VERSIONS.kubernetes.cluster.replace('.', '\\.')}\\.`));
  for (const version of Object.values(addons)) expect(version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  expect(VERSIONS.postgres.parameterGroupFamily).toBe(`postgres${VERSIONS.postgres.engineVersion.split('.')[0]}`);
  expect(VERSIONS.karpenter.chartRepository).toMatch(/^oci:\/\//);
});
