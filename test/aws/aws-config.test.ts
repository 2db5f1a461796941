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

test('defaults apply when the aws section holds only what has none (admins, a way to the API) and the network keys are left out', () => {
  const admins = ['arn:aws:iam::111122223333:role/deployer'];
  const env = withChange((doc) => {
    doc.aws = { cluster: { admins, deployerCidrs: ['10.100.0.0/22'] } };
    doc.network = { vpcCidr: '10.20.0.0/16', availabilityZones: 2 };
  })();
  expect(env.network).toMatchObject({ natGateways: 'single', interfaceEndpoints: [] });
  expect(env.aws).toEqual({
    cluster: {
      version: VERSIONS.kubernetes.cluster,
      publicAccessCidrs: [],
      deployerCidrs: ['10.100.0.0/22'],
      admins,
      logRetentionDays: 90,
    },
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
    /'network.interfaceEndpoints\[0\]' is ssm; expected one of "ecr.api", "ecr.dkr", "sts"/,
  ],
  [
    'interface endpoints once each',
    (d) => (d.network.interfaceEndpoints = ['sts', 'sts']),
    /'network.interfaceEndpoints' .*each endpoint at most once/,
  ],
  [
    'cluster version has pinned add-ons',
    (d) => (d.aws.cluster.version = '1.30'),
    /'aws.cluster.version' is "1.30"; expected one of "1.34", "1.35"/,
  ],
  [
    'a private endpoint needs a deployer range',
    (d) => {
      d.aws.cluster.publicAccessCidrs = [];
      d.aws.cluster.deployerCidrs = [];
    },
    /'aws.cluster.deployerCidrs' .*expected at least one range when publicAccessCidrs is empty/,
  ],
  [
    'deployer ranges are narrower than /0',
    (d) => (d.aws.cluster.deployerCidrs = ['0.0.0.0/0']),
    /'aws.cluster.deployerCidrs\[0\]' is 0.0.0.0\/0; expected a CIDR narrower than \/0/,
  ],
  [
    'at least one admin, since the creator gets no implicit access',
    (d) => (d.aws.cluster.admins = []),
    /'aws.cluster.admins' .*expected at least one principal, the deployer included/,
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
    (d) => Object.assign(d.aws.database, { allocatedStorageGb: 50, maxAllocatedStorageGb: 30 }),
    /'aws.database.maxAllocatedStorageGb' .*at least allocatedStorageGb/,
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
  expect(VERSIONS.eksAddons[VERSIONS.kubernetes.cluster as keyof typeof VERSIONS.eksAddons]).toBeDefined();
  // Every minor's row pins the same add-ons, kube-proxy on that minor: a version change is one line.
  const rows = Object.entries(VERSIONS.eksAddons);
  for (const [minor, addons] of rows) {
    expect(Object.keys(addons).sort()).toEqual(Object.keys(rows[0][1]).sort());
    expect(addons['kube-proxy']).toMatch(new RegExp(`^v${minor.replace('.', '\\.')}\\.`));
    for (const version of Object.values(addons)) expect(version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  }
  // Karpenter 1.13+ is the first to support Kubernetes 1.36; its CRDs come from the karpenter-crd chart.
  const [major, minor] = VERSIONS.karpenter.chart.split('.').map(Number);
  expect(major * 100 + minor).toBeGreaterThanOrEqual(113);
  expect(VERSIONS.karpenter.crdChartRepository).toBe(`${VERSIONS.karpenter.chartRepository}-crd`);
  expect(VERSIONS.postgres.parameterGroupFamily).toBe(`postgres${VERSIONS.postgres.engineVersion.split('.')[0]}`);
  expect(VERSIONS.karpenter.chartRepository).toMatch(/^oci:\/\//);
});
