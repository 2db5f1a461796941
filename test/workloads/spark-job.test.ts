import { Chart, Testing } from 'cdk8s';
import { SparkJob } from '../../constructs/workloads';
import { BASE, only, synth } from './helpers';

const CLICKHOUSE = {
  host: 'ch.svc',
  port: 8443,
  protocol: 'https' as const,
  database: 'trading',
  credentialsSecret: { name: 'ch', userKey: 'u', passwordKey: 'p' },
  cidrs: ['10.20.96.0/24'],
};

describe('SparkJob', () => {
  describe('defaults', () => {
    const objects = synth((chart) => new SparkJob(chart, 'nightly-etl', BASE));
    const app = only(objects, 'SparkApplication');
    const spec = app.spec;

    test('is a SparkApplication in the tenant namespace running the plan with the runner', () => {
      expect(app.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
      expect(app.metadata).toEqual({
        name: 'nightly-etl',
        namespace: 'trading',
        labels: { 'dataplane.io/tenant': 'trading' },
      });
      expect(spec.type).toBe('Python');
      expect(spec.mode).toBe('cluster');
      expect(spec.sparkVersion).toBe('4.0.1');
      expect(spec.image).toBe('ghcr.io/acme/dataplane-jobs:0.1.0');
      expect(spec.mainApplicationFile).toBe('local:///opt/dataplane/dataplane_job/__main__.py');
      expect(spec.arguments).toEqual(['/etc/dataplane/plan/plan.json']);
      expect(spec.driver.configMaps).toEqual([{ name: 'nightly-etl-plan', path: '/etc/dataplane/plan' }]);
    });

    test('is gang-scheduled by YuniKorn as its profile says, and names its YuniKorn user on the driver', () => {
      expect(spec.batchScheduler).toBe('yunikorn');
      expect(spec.batchSchedulerOptions).toEqual({ queue: 'root.tenants.trading' });
      expect(spec.driver.annotations).toEqual({
        'karpenter.sh/do-not-disrupt': 'true',
        'yunikorn.apache.org/user.info': '{"user":"serviceaccount.trading.spark-driver","groups":["tenant-trading"]}',
        'yunikorn.apache.org/schedulingPolicyParameters': 'placeholderTimeoutInSeconds=300 gangSchedulingStyle=Soft',
      });
      expect(spec.executor.annotations).toBeUndefined();
    });

    test('authenticates and encrypts Spark RPC; the conf cannot override it', () => {
      expect(spec.sparkConf).toMatchObject({
        'spark.authenticate': 'true',
        'spark.network.crypto.enabled': 'true',
        'spark.network.crypto.cipher': 'AES/CTR/NoPadding',
      });
      expect(
        () => new SparkJob(Testing.chart(), 'x', { ...BASE, sparkConf: { 'spark.authenticate': 'false' } }),
      ).toThrow(/'sparkConf.spark.authenticate' is "false"; expected no value: the construct sets this key/);
    });

    test('mounts the plan from a ConfigMap', () => {
      const configMap = only(objects, 'ConfigMap');
      expect(configMap.metadata.name).toBe('nightly-etl-plan');
      expect(configMap.metadata.namespace).toBe('trading');
      expect(JSON.parse(configMap.data['plan.json'])).toEqual({
        apiVersion: 'dataplane.io/v1',
        job: { name: 'nightly-etl', tenant: 'trading' },
        catalog: {
          name: 'polaris',
          credentialEnv: { clientId: 'POLARIS_CLIENT_ID', clientSecret: 'POLARIS_CLIENT_SECRET' },
        },
        steps: [{ type: 'rewrite-manifests', table: 'polaris.trading.raw_trades' }],
      });
    });

    test('the driver pod carries karpenter.sh/do-not-disrupt, so drift never drains its node; executors do not', () => {
      expect(spec.driver.annotations).toMatchObject({ 'karpenter.sh/do-not-disrupt': 'true' });
      expect(spec.executor.annotations).toBeUndefined();
    });

    test('configures the Polaris REST catalog with vended credentials, the Iceberg extensions and event logs', () => {
      expect(spec.sparkConf).toMatchObject({
        'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
        'spark.sql.catalog.polaris': 'org.apache.iceberg.spark.SparkCatalog',
        'spark.sql.catalog.polaris.type': 'rest',
        'spark.sql.catalog.polaris.uri': 'http://polaris.polaris.svc.cluster.local:8181/api/catalog',
        'spark.sql.catalog.polaris.warehouse': 'lake',
        'spark.sql.catalog.polaris.scope': 'PRINCIPAL_ROLE:ALL',
        'spark.sql.catalog.polaris.oauth2-server-uri':
          'http://polaris.polaris.svc.cluster.local:8181/api/catalog/v1/oauth/tokens',
        'spark.sql.catalog.polaris.token-refresh-enabled': 'true',
        'spark.sql.catalog.polaris.header.X-Iceberg-Access-Delegation': 'vended-credentials',
        'spark.sql.catalog.polaris.header.Polaris-Realm': 'POLARIS',
        'spark.sql.session.timeZone': 'UTC',
        'spark.eventLog.enabled': 'true',
        'spark.eventLog.dir': 's3a://acme-dataplane-dev-spark-events/spark-events/trading/',
      });
    });

    test('takes the OAuth client credentials from the tenant Secret through environment variables only', () => {
      expect(spec.driver.env).toEqual([
        {
          name: 'POLARIS_CLIENT_ID',
          valueFrom: { secretKeyRef: { name: 'polaris-spark-credentials', key: 'client-id' } },
        },
        {
          name: 'POLARIS_CLIENT_SECRET',
          valueFrom: { secretKeyRef: { name: 'polaris-spark-credentials', key: 'client-secret' } },
        },
      ]);
      expect(Object.keys(spec.sparkConf).filter((k) => /credential$/.test(k))).toEqual([]);
      expect(spec.sparkConf['spark.redaction.regex']).toMatch(/credential/);
    });

    test('retries failed runs and failed submissions', () => {
      expect(spec.restartPolicy).toEqual({
        type: 'OnFailure',
        onFailureRetries: 2,
        onFailureRetryInterval: 60,
        onSubmissionFailureRetries: 2,
        onSubmissionFailureRetryInterval: 60,
      });
    });

    test('runs with the tenant service accounts in the tenant YuniKorn queue', () => {
      expect(spec.batchScheduler).toBe('yunikorn');
      expect(spec.batchSchedulerOptions).toEqual({ queue: 'root.tenants.trading' });
      expect(spec.driver.serviceAccount).toBe('spark-driver');
      expect(spec.executor.serviceAccount).toBe('spark-executor');
    });

    test('places the driver on the on-demand pool and executors on the spot pool, tolerating the Spark taint', () => {
      expect(spec.nodeSelector).toBeUndefined();
      expect(spec.driver.nodeSelector).toEqual({ 'dataplane.io/node-pool': 'spark-driver' });
      expect(spec.executor.nodeSelector).toEqual({ 'dataplane.io/node-pool': 'spark-executor' });
      const toleration = [{ key: 'dataplane.io/spark', operator: 'Equal', value: 'true', effect: 'NoSchedule' }];
      expect(spec.driver.tolerations).toEqual(toleration);
      expect(spec.executor.tolerations).toEqual(toleration);
    });

    test('takes the batch-etl profile with CPU limits and dynamic allocation', () => {
      expect(spec.driver).toMatchObject({
        cores: 1,
        coreLimit: '1',
        memory: '3g',
        memoryOverhead: '1g',
        priorityClassName: 'spark-batch',
      });
      expect(spec.executor).toMatchObject({
        cores: 2,
        coreLimit: '2',
        memory: '6g',
        memoryOverhead: '2g',
        priorityClassName: 'spark-batch',
      });
      expect(spec.executor.instances).toBeUndefined();
      expect(spec.dynamicAllocation).toEqual({
        enabled: true,
        initialExecutors: 1,
        minExecutors: 1,
        maxExecutors: 4,
        shuffleTrackingEnabled: true,
      });
    });

    test('runs as the non-root spark user without privilege escalation', () => {
      expect(spec.driver.podSecurityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 185,
        runAsGroup: 185,
        fsGroup: 185,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.executor.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    });
  });

  describe('custom', () => {
    test('explicit resources with fixed executors set instances and no dynamic allocation', () => {
      const chart = Testing.chart();
      const job = new SparkJob(chart, 'x', {
        ...BASE,
        resources: {
          driver: { cores: 2, memory: '4g', memoryOverhead: '1g' },
          executor: { cores: 3, memory: '8g', memoryOverhead: '2g' },
          executors: { instances: 5 },
        },
      });
      const spec = only(Testing.synth(chart), 'SparkApplication').spec;
      expect(spec.executor).toMatchObject({
        cores: 3,
        coreLimit: '3',
        memory: '8g',
        memoryOverhead: '2g',
        instances: 5,
      });
      expect(spec.dynamicAllocation).toBeUndefined();
      // Gang-scheduled (the default for explicit resources): the peak is the 5 executor placeholders beside the 5 real
      // executors replacing them, with the driver: 2 + 10 * 3 cores, 5 + 10 * 10 GiB, 11 pods.
      expect(job.peakDemand).toEqual({ cpu: 32, memoryBytes: 105 * 2 ** 30, pods: 11 });
      const off = new SparkJob(Testing.chart(), 'y', {
        ...BASE,
        resources: {
          driver: { cores: 2, memory: '4g', memoryOverhead: '1g' },
          executor: { cores: 3, memory: '8g', memoryOverhead: '2g' },
          executors: { instances: 5 },
        },
        gangScheduling: { enabled: false },
      });
      expect(off.peakDemand).toEqual({ cpu: 17, memoryBytes: 55 * 2 ** 30, pods: 6 });
      const offSpec = only(Testing.synth(Chart.of(off)), 'SparkApplication').spec;
      // Without a batch scheduler the operator writes no task groups; YuniKorn's admission controller still takes the pods.
      expect(offSpec.batchScheduler).toBeUndefined();
      expect(Object.keys(offSpec.driver.annotations).sort()).toEqual([
        'karpenter.sh/do-not-disrupt',
        'yunikorn.apache.org/user.info',
      ]);
    });

    test('the interactive profile scales from zero executors at interactive priority', () => {
      const spec = only(
        synth((chart) => new SparkJob(chart, 'notebook', { ...BASE, profile: 'interactive' })),
        'SparkApplication',
      ).spec;
      expect(spec.dynamicAllocation).toEqual({
        enabled: true,
        initialExecutors: 0,
        minExecutors: 0,
        maxExecutors: 4,
        shuffleTrackingEnabled: true,
      });
      expect(spec.driver.priorityClassName).toBe('spark-interactive');
    });

    test('an app-level node selector replaces the pod-level pools', () => {
      const spec = only(
        synth(
          (chart) =>
            new SparkJob(chart, 'x', { ...BASE, nodeSelector: { 'node.kubernetes.io/instance-type': 'r7g.4xlarge' } }),
        ),
        'SparkApplication',
      ).spec;
      expect(spec.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'r7g.4xlarge' });
      expect(spec.driver.nodeSelector).toBeUndefined();
      expect(spec.executor.nodeSelector).toBeUndefined();
    });

    test('a job reading ClickHouse takes its credentials from their Secret and may reach its hosts', () => {
      const objects = synth((chart) => new SparkJob(chart, 'x', { ...BASE, clickhouse: CLICKHOUSE }));
      const spec = only(objects, 'SparkApplication').spec;
      expect(spec.driver.env.slice(2)).toEqual([
        { name: 'CLICKHOUSE_USER', valueFrom: { secretKeyRef: { name: 'ch', key: 'u' } } },
        { name: 'CLICKHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: 'ch', key: 'p' } } },
      ]);
      expect(spec.executor.labels['dataplane.io/spark-job']).toBe('x');
      const policy = only(objects, 'NetworkPolicy');
      expect(policy.metadata).toMatchObject({ name: 'x-clickhouse', namespace: 'trading' });
      expect(policy.spec).toEqual({
        podSelector: { matchLabels: { 'dataplane.io/spark-job': 'x' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.20.96.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] }],
      });
    });

    test('extra Spark conf is kept', () => {
      const spec = only(
        synth((chart) => new SparkJob(chart, 'x', { ...BASE, sparkConf: { 'spark.sql.shuffle.partitions': '64' } })),
        'SparkApplication',
      ).spec;
      expect(spec.sparkConf['spark.sql.shuffle.partitions']).toBe('64');
    });
  });

  describe('rejects what the operator would reject, or what would break the job', () => {
    const build =
      (props: Partial<typeof BASE> & Record<string, unknown>, id = 'job') =>
      () =>
        new SparkJob(Testing.chart(), id, { ...BASE, ...props });

    test('a name that is not a DNS-1035 label', () => {
      expect(build({}, '1-job')).toThrow(/'name' is "1-job"; expected a DNS-1035 label/);
      expect(build({ name: 'Nightly' })).toThrow(/'name' is "Nightly"; expected a DNS-1035 label/);
    });

    test('a name longer than 63 characters', () => {
      expect(build({ name: `a${'b'.repeat(63)}` })).toThrow(/'name' is "ab+.*"; expected .* of at most 63 characters/);
    });

    test('a sparkConf key the webhook denies', () => {
      expect(build({ sparkConf: { 'spark.kubernetes.container.image': 'evil:1' } })).toThrow(
        /'sparkConf.spark.kubernetes.container.image' is "evil:1"; expected no value: the Spark Operator's webhook denies this key/,
      );
    });

    test('a namespace other than the tenant', () => {
      expect(build({ sparkConf: { 'spark.kubernetes.namespace': 'kube-system' } })).toThrow(
        /'sparkConf.spark.kubernetes.namespace' is "kube-system"; expected the tenant namespace "trading"/,
      );
    });

    test('a key the construct manages', () => {
      expect(build({ sparkConf: { 'spark.sql.catalog.polaris.uri': 'http://x' } })).toThrow(
        /'sparkConf.spark.sql.catalog.polaris.uri' is "http:\/\/x"; expected no value: the construct sets this key/,
      );
    });

    test('a resource key that would fight the profile', () => {
      expect(build({ sparkConf: { 'spark.executor.instances': '10' } })).toThrow(
        /'sparkConf.spark.executor.instances' is "10"; expected no value: size the job with 'profile' or 'resources'/,
      );
    });

    test('a literal credential', () => {
      expect(build({ sparkConf: { 'spark.sql.catalog.polaris.credential': 'id:secret' } })).toThrow(
        /'sparkConf.spark.sql.catalog.polaris.credential' is "id:secret"; expected no value: credentials come from Secrets/,
      );
    });

    test('an app-level node selector mixed with pod-level ones', () => {
      expect(build({ nodeSelector: { a: 'b' }, driverNodeSelector: { c: 'd' } })).toThrow(
        /'nodeSelector' is .*; expected no value when driverNodeSelector or executorNodeSelector is set/,
      );
    });

    test('a profile and explicit resources together', () => {
      expect(
        build({
          profile: 'interactive',
          resources: {
            driver: { cores: 1, memory: '1g', memoryOverhead: '1g' },
            executor: { cores: 1, memory: '1g', memoryOverhead: '1g' },
            executors: { instances: 1 },
          },
        }),
      ).toThrow(/'resources' is .*; expected no value when 'profile' is set/);
    });

    test('an unknown profile', () => {
      expect(build({ profile: 'huge' as any })).toThrow(
        /'profile' is "huge"; expected one of interactive, batch-etl, large-scale, maintenance, profiling/,
      );
    });

    test('invalid explicit resources, all reported at once', () => {
      const resources = {
        driver: { cores: 0, memory: '4GB', memoryOverhead: '1g' },
        executor: { cores: 1, memory: '1g', memoryOverhead: '1g' },
        executors: { min: 3, initial: 2, max: 4 },
      };
      expect(build({ resources })).toThrow(
        /3 problems[\s\S]*'resources.driver.cores' is 0[\s\S]*'resources.driver.memory' is "4GB"[\s\S]*'resources.executors.initial' is 2; expected between min \(3\) and max \(4\)/,
      );
    });

    test('negative retries', () => {
      expect(build({ retries: -1 })).toThrow(/'retries' is -1; expected a whole number >= 0/);
    });

    test('ClickHouse without host CIDRs to allow', () => {
      expect(build({ clickhouse: { ...CLICKHOUSE, cidrs: ['10.20.96.0'] } })).toThrow(
        /'clickhouse.cidrs\[0\]' is "10.20.96.0"; expected an IPv4 CIDR block/,
      );
    });

    test('no steps', () => {
      expect(build({ steps: [] })).toThrow(/'steps' is \[\]; expected at least one step/);
    });
  });
});
