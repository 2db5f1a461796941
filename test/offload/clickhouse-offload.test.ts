import { ApiObject, Chart, Testing } from 'cdk8s';
import { ClickHouseOffload, ClickHouseOffloadProps, OffloadTable } from '../../constructs';
import { REFUSAL_EXIT_CODE } from '../../jobs/plan';

const table = (
  name: string,
  overrides: Partial<OffloadTable['source']> = {},
  partitionedBy = ['hours(event_ts)'],
): OffloadTable => ({
  source: {
    database: 'trading',
    table: name,
    eventTimeColumn: 'event_ts',
    ttlHours: 72,
    allowedLatenessHours: 2,
    ...overrides,
  },
  target: { namespace: 'trading', table: name, partitionedBy },
});

const base: ClickHouseOffloadProps = {
  tenant: 'trading',
  name: 'gold',
  image: 'registry.example/offload-writer:1',
  schedule: '9 * * * *',
  clickhouse: {
    host: 'ch.example.internal',
    port: 8443,
    protocol: 'https',
    cidrs: ['10.20.96.0/24'],
    credentialsSecret: { name: 'clickhouse-offload', userKey: 'username', passwordKey: 'password' },
  },
  catalog: { name: 'lake', realm: 'POLARIS' },
  tables: [table('gold_ohlcv_1m'), table('gold_ohlcv_1d', { allowedLatenessHours: 24, ttlHours: 168 })],
};

function synth(props: Partial<ClickHouseOffloadProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 'test');
  new ClickHouseOffload(chart, 'offload', { ...base, ...props });
  return Testing.synth(chart);
}
const build = (props: Partial<ClickHouseOffloadProps>) => () => synth(props);
const kind = (objects: any[], k: string) => objects.find((o) => o.kind === k);

describe('ClickHouseOffload', () => {
  const objects = synth();
  const cronJob = kind(objects, 'CronJob');
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));

  test('renders an hourly UTC CronJob that never overlaps itself and ends within the hour', () => {
    expect(cronJob.metadata).toMatchObject({ name: 'offload-trading-gold', namespace: 'trading' });
    expect(cronJob.metadata.annotations).toEqual({
      'dataplane.io/expected-runtime-minutes': '2',
      'dataplane.io/iceberg-tables': 'trading.gold_ohlcv_1m,trading.gold_ohlcv_1d',
    });
    expect(cronJob.metadata.labels).toMatchObject({ 'dataplane.io/batch-tier': '1' });
    expect(cronJob.spec).toMatchObject({
      schedule: '9 * * * *',
      timeZone: 'UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
    });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 1800 });
  });

  test('fails the Job on a refusal for data safety and retries everything else', () => {
    expect(cronJob.spec.jobTemplate.spec.podFailurePolicy).toEqual({
      rules: [
        {
          action: 'FailJob',
          onExitCodes: { containerName: 'offload', operator: 'In', values: [REFUSAL_EXIT_CODE] },
          onPodConditions: [],
        },
      ],
    });
    // The Job API accepts a podFailurePolicy only with restartPolicy Never.
    expect(pod.restartPolicy).toBe('Never');
    expect(REFUSAL_EXIT_CODE).toBe(3);
  });

  test('runs the JVM-free writer in one small pod on the on-demand driver pool', () => {
    expect(pod).toMatchObject({
      serviceAccountName: 'scheduled-jobs',
      automountServiceAccountToken: false,
      nodeSelector: { 'dataplane.io/node-pool': 'spark-driver' },
      tolerations: [{ key: 'dataplane.io/spark', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      securityContext: { runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185 },
    });
    expect(container.image).toBe('registry.example/offload-writer:1');
    expect(container.command).toEqual(['python3', '-m', 'dataplane_job.offload', '/etc/dataplane/plan/plan.json']);
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(Object.keys(env)).not.toContain('PYSPARK_SUBMIT_ARGS');
  });

  test('takes ClickHouse and catalog credentials from Secrets, never literals', () => {
    expect(env.CLICKHOUSE_USER.valueFrom).toEqual({ secretKeyRef: { name: 'clickhouse-offload', key: 'username' } });
    expect(env.CLICKHOUSE_PASSWORD.valueFrom).toEqual({
      secretKeyRef: { name: 'clickhouse-offload', key: 'password' },
    });
    expect(env.POLARIS_CLIENT_ID.valueFrom).toEqual({
      secretKeyRef: { name: 'polaris-spark-credentials', key: 'client-id' },
    });
    expect(env.POLARIS_CLIENT_SECRET.valueFrom).toEqual({
      secretKeyRef: { name: 'polaris-spark-credentials', key: 'client-secret' },
    });
    expect(container.env.every((e: any) => e.valueFrom?.secretKeyRef)).toBe(true);
  });

  test('mounts a plan with one offload step per table and the REST catalog the writer connects to', () => {
    const configMap = kind(objects, 'ConfigMap');
    expect(pod.volumes).toContainEqual({ name: 'plan', configMap: { name: 'offload-trading-gold-plan' } });
    expect(container.volumeMounts).toContainEqual({ name: 'plan', mountPath: '/etc/dataplane/plan', readOnly: true });
    const step = (table: string, lateness: number, ttl: number) => ({
      type: 'offload',
      source: `clickhouse.trading.${table}`,
      target: `polaris.trading.${table}`,
      eventTimeColumn: 'event_ts',
      lagHours: 1,
      allowedLatenessHours: lateness,
      outageToleranceHours: 24,
      maxCatchUpHours: 6,
      ttlHours: ttl,
      dedup: 'none',
    });
    expect(JSON.parse(configMap.data['plan.json'])).toEqual({
      apiVersion: 'dataplane.io/v1',
      job: { name: 'offload-trading-gold', tenant: 'trading' },
      catalog: {
        name: 'polaris',
        credentialEnv: { clientId: 'POLARIS_CLIENT_ID', clientSecret: 'POLARIS_CLIENT_SECRET' },
        rest: {
          uri: 'http://polaris.polaris.svc.cluster.local:8181/api/catalog',
          warehouse: 'lake',
          scope: 'PRINCIPAL_ROLE:ALL',
          realm: 'POLARIS',
        },
      },
      clickhouse: {
        catalog: 'clickhouse',
        host: 'ch.example.internal',
        port: 8443,
        protocol: 'https',
        database: 'trading',
        credentialEnv: { user: 'CLICKHOUSE_USER', password: 'CLICKHOUSE_PASSWORD' },
      },
      steps: [step('gold_ohlcv_1m', 2, 72), step('gold_ohlcv_1d', 24, 168)],
    });
  });

  test('exposes its targets with the timing maintenance and the audit need', () => {
    const chart = new Chart(Testing.app(), 'test');
    const offload = new ClickHouseOffload(chart, 'offload', {
      ...base,
      configPath: 'offload.runs[3]',
      tables: [table('gold_ohlcv_1m', { dedup: 'final' })],
    });
    expect(offload.targets).toEqual([
      {
        namespace: 'trading',
        table: 'gold_ohlcv_1m',
        warm: 'trading.gold_ohlcv_1m',
        eventTimeColumn: 'event_ts',
        schedule: '9 * * * *',
        expectedRuntimeMinutes: 2,
        lagHours: 1,
        allowedLatenessHours: 2,
        warmRetentionHours: 72,
        dedup: 'final',
        source: 'offload.runs[3].tables[0]',
      },
    ]);
    expect(JSON.parse(offload.plan.steps.map((s) => JSON.stringify(s))[0]).dedup).toBe('final');
  });

  test('keeps the escape hatch: the CronJob is the default child', () => {
    const chart = new Chart(Testing.app(), 'test');
    const offload = new ClickHouseOffload(chart, 'offload', base);
    expect((offload.node.defaultChild as ApiObject).kind).toBe('CronJob');
    expect(offload.node.children.map((c) => c.node.id)).toEqual(['Plan', 'Resource', 'NetworkPolicy']);
  });

  test('lets only the offload pods reach ClickHouse', () => {
    const policy = kind(objects, 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual({
      'dataplane.io/offload': 'gold',
      'app.kubernetes.io/name': 'clickhouse-offload',
    });
    expect(cronJob.spec.jobTemplate.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.96.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] },
    ]);
  });

  describe('rejects', () => {
    test('a TTL shorter than lag + lateness + catch-up horizon, saying rows would be deleted before offload', () => {
      expect(build({ tables: [table('raw_trades', { ttlHours: 27, allowedLatenessHours: 2 })] })).toThrow(
        /'tables\[0\]\.source\.ttlHours' is 27; expected at least 28 h = lag 1 \+ allowed lateness 2 \+ catch-up horizon 25 .*ClickHouse would delete rows before they are offloaded/,
      );
    });

    test('a target not partitioned by hours of the event-time column', () => {
      expect(build({ tables: [table('raw_trades', {}, ['days(event_ts)'])] })).toThrow(
        /'tables\[0\]\.target\.partitionedBy' is \["days\(event_ts\)"\]; expected a spec containing hours\(event_ts\).*Cannot delete file where some, but not all, rows match filter/,
      );
    });

    test('a schedule that is not hourly', () => {
      expect(build({ schedule: '*/30 * * * *' })).toThrow(
        /'schedule' is "\*\/30 \* \* \* \*"; expected an hourly cron/,
      );
    });

    test('a lag under one hour', () => {
      expect(build({ lagHours: 0 })).toThrow(/'lagHours' is 0; expected a whole number of hours >= 1/);
    });

    test('an outage tolerance under one hour', () => {
      expect(build({ outageToleranceHours: 0.5 })).toThrow(
        /'outageToleranceHours' is 0.5; expected a whole number of hours >= 1/,
      );
    });

    test('a starting deadline under 60 s', () => {
      expect(build({ startingDeadlineSeconds: 10 })).toThrow(
        /'startingDeadlineSeconds' is 10; expected between 60 and 3599/,
      );
    });

    test('an active deadline that reaches the next hour', () => {
      expect(build({ activeDeadlineSeconds: 3400 })).toThrow(
        /'activeDeadlineSeconds' is 3400; expected at least 60 and less than 3600 - startingDeadlineSeconds \(3300\)/,
      );
    });

    test('an expected runtime beyond the active deadline', () => {
      expect(build({ expectedRuntimeMinutes: 46 })).toThrow(
        /'expectedRuntimeMinutes' is 46; expected whole minutes >= 1 within activeDeadlineSeconds/,
      );
    });

    test('a negative backoff limit', () => {
      expect(build({ backoffLimit: -1 })).toThrow(/'backoffLimit' is -1; expected a whole number >= 0/);
    });

    test('a CPU request that is not a quantity', () => {
      expect(build({ resources: { cpu: 'quarter', memory: '512Mi' } })).toThrow(
        /'resources\.cpu' is "quarter"; expected a CPU quantity such as 250m/,
      );
    });

    test('less than 256Mi of memory', () => {
      expect(build({ resources: { cpu: '250m', memory: '128Mi' } })).toThrow(
        /'resources\.memory' is "128Mi"; expected a memory quantity of at least 256Mi/,
      );
    });

    test('a catch-up bound under two hours (the run would never gain on the clock)', () => {
      expect(build({ maxCatchUpHours: 1 })).toThrow(/'maxCatchUpHours' is 1; expected a whole number of hours >= 2/);
    });

    test('a run without tables', () => {
      expect(build({ tables: [] })).toThrow(/'tables' is \[\]; expected at least one table/);
    });

    test('the same target twice in one run', () => {
      expect(build({ tables: [table('raw_trades'), table('raw_trades')] })).toThrow(
        /'tables\[1\]\.target' is "trading\.raw_trades"; expected a table not already offloaded by tables\[0\]/,
      );
    });

    test('identifiers that would break the generated SQL', () => {
      expect(build({ tables: [table('raw_trades', { eventTimeColumn: 'event ts' }, ['hours(event ts)'])] })).toThrow(
        /'tables\[0\]\.source\.eventTimeColumn' is "event ts"; expected an identifier/,
      );
    });

    test('names that are not DNS labels or make the CronJob name longer than 52 characters', () => {
      expect(build({ tenant: 'Trading' })).toThrow(/'tenant' is "Trading"; expected a DNS label/);
      expect(build({ name: 'x'.repeat(40) })).toThrow(
        /'name' is "x{40}"; expected a name keeping the CronJob name .* within 52 characters/,
      );
    });

    test('missing network targets', () => {
      expect(build({ clickhouse: { ...base.clickhouse, cidrs: [] } })).toThrow(
        /'clickhouse\.cidrs' is \[\]; expected at least one CIDR/,
      );
    });

    test('every problem at once, under the construct path', () => {
      expect(build({ lagHours: 0, backoffLimit: -1 })).toThrow(/^test\/offload: 2 problems/);
    });
  });
});
