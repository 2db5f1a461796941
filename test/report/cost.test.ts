import { ENVIRONMENT_NAMES, loadEnvironment, PRICES } from '../../config';
import { alwaysOnCost, KMS_KEYS_PER_ENVIRONMENT, SYSTEM_NODE_DISK_GB } from '../../stacks/report/cost';

const line = (env: string, item: string) => alwaysOnCost(loadEnvironment(env)).lines.find((l) => l.item === item)!;

describe.each(ENVIRONMENT_NAMES)('always-on cost of %s', (envName) => {
  const env = loadEnvironment(envName);
  const cost = alwaysOnCost(env);
  const h = PRICES.hoursPerMonth;

  test('every item the stack holds around the clock, priced from config/prices.ts, and the total is their sum', () => {
    expect(cost.lines.map((l) => l.item)).toEqual([
      'EKS control plane',
      'NAT gateways',
      'interface endpoints',
      'system nodes',
      'Polaris database',
      'KMS keys',
    ]);
    expect(cost.monthly).toBeCloseTo(cost.lines.reduce((s, l) => s + l.monthly, 0));
    expect(cost.region).toBe(PRICES.region);
    const nats = env.network.natGateways === 'perAz' ? env.network.availabilityZones : 1;
    expect(line(envName, 'NAT gateways').monthly).toBeCloseTo(
      nats * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * h,
    );
    const node = PRICES.ec2[env.capacity.system.instanceTypes[0] as keyof typeof PRICES.ec2];
    expect(line(envName, 'system nodes').monthly).toBeCloseTo(
      env.capacity.system.minNodes * (node.hour * h + SYSTEM_NODE_DISK_GB * PRICES.ebsGp3GbMonth),
    );
    expect(line(envName, 'interface endpoints').monthly).toBeCloseTo(
      env.network.interfaceEndpoints.length * env.network.availabilityZones * PRICES.interfaceEndpointAzHour * h,
    );
    expect(line(envName, 'KMS keys').monthly).toBe(KMS_KEYS_PER_ENVIRONMENT * PRICES.kmsKeyMonth);
  });
});

test('dev stays within its $250 a month goal; Multi-AZ doubles the database', () => {
  expect(alwaysOnCost(loadEnvironment('dev')).monthly).toBeLessThanOrEqual(250);
  const prod = loadEnvironment('prod');
  const single = alwaysOnCost({ ...prod, aws: { ...prod.aws, database: { ...prod.aws.database, multiAz: false } } });
  expect(line('prod', 'Polaris database').monthly).toBeCloseTo(
    2 * single.lines.find((l) => l.item === 'Polaris database')!.monthly,
  );
});

test('an instance type or database class without a price is an error naming it', () => {
  const dev = loadEnvironment('dev');
  const bad = {
    ...dev,
    capacity: { ...dev.capacity, system: { ...dev.capacity.system, instanceTypes: ['x9.huge'] } },
    aws: { ...dev.aws, database: { ...dev.aws.database, instanceClass: 'db.z9.huge' } },
  };
  expect(() => alwaysOnCost(bad)).toThrow(
    'dev: no price in config/prices.ts for instance type x9.huge, database class db.z9.huge',
  );
});
