import { ENVIRONMENT_NAMES, loadEnvironment, PRICES } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import { buildReport, releaseServices } from '../../stacks/report';
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
      ...(env.monitoring.existingPrometheus ? [] : ['monitoring volumes']),
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

test("the monitoring stack's Prometheus volumes are priced per replica; an existing Prometheus costs nothing here", () => {
  // prod: 2 replicas of 200Gi in its environment file.
  expect(line('prod', 'monitoring volumes').monthly).toBeCloseTo(2 * 200 * PRICES.ebsGp3GbMonth);
  const dev = loadEnvironment('dev');
  const existing = {
    ...dev,
    monitoring: {
      existingPrometheus: { namespace: 'obs', podLabels: { app: 'prometheus' }, selectorLabels: { team: 'obs' } },
    },
  };
  expect(alwaysOnCost(existing).lines.map((l) => l.item)).not.toContain('monitoring volumes');
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

test.each(ENVIRONMENT_NAMES)(
  "%s: the always-on services' requests fit the system nodes at their minimum (the monitoring stack included)",
  (envName) => {
    const env = loadEnvironment(envName);
    const { usage } = buildReport(env, renderEnvironment(env), { helmServices: releaseServices(env) });
    expect(usage.services.some((s) => s.name.includes('prometheus'))).toBe(!env.monitoring.existingPrometheus);
    expect(usage.serviceRequests.cpu).toBeLessThanOrEqual(usage.systemNodes.cpu);
    expect(usage.serviceRequests.memory).toBeLessThanOrEqual(usage.systemNodes.memory);
  },
);
