import { loadEnvironment } from '../../config';
import { TenantAdmissionPolicy } from '../../constructs/tenancy';
import { renderEnvironment } from '../../stacks/k8s';
import { Testing } from 'cdk8s';
import { admit, AdmissionRequest } from './helpers/admission-policy-evaluator';

// Every verdict below comes from evaluating the synthesized policies' CEL (see the helper), on pods shaped like the
// ones Spark 4.0.1, the operator, YuniKorn and the Job controller create.
describe('tenant admission policies (dev environment)', () => {
  const env = loadEnvironment('dev');
  const charts = renderEnvironment(env);
  const objects = charts.flatMap((chart) => [...chart.objects]) as any[];
  const tenant = 'trading';
  const other = 'analytics';
  const driverUser = `system:serviceaccount:${tenant}:spark-driver`;
  const driverPod = 'trading-compaction-1733300000-driver';
  const driverUid = '0b1c2d3e-0000-4000-8000-000000000001';
  const fromDriver = {
    username: driverUser,
    extra: {
      'authentication.kubernetes.io/pod-name': [driverPod],
      'authentication.kubernetes.io/pod-uid': [driverUid],
    },
  };
  const userInfo = (t: string, sa: string) =>
    JSON.stringify({ user: `serviceaccount.${t}.${sa}`, groups: [`tenant-${t}`] });

  /** An executor pod as Spark's driver creates it (BasicExecutorFeatureStep), before any tampering. */
  const executor = (): any => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'trading-compaction-1733300000-exec-1',
      namespace: tenant,
      labels: {
        'spark-role': 'executor',
        'spark-app-selector': 'spark-0123456789abcdef',
        'spark-exec-id': '1',
        'dataplane.io/spark-job': 'trading-compaction',
        'dataplane.io/tenant': tenant,
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: driverPod, uid: driverUid, controller: true }],
    },
    spec: {
      serviceAccountName: 'spark-executor',
      containers: [
        {
          name: 'spark-kubernetes-executor',
          image: 'spark',
          env: [
            { name: 'SPARK_EXECUTOR_ID', value: '1' },
            { name: '_SPARK_AUTH_SECRET', value: 'generated-by-the-driver' },
          ],
          volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/var/data/spark-1' }],
        },
      ],
      volumes: [
        { name: 'spark-local-dir-1', emptyDir: {} },
        { name: 'spark-conf-volume-exec', configMap: { name: 'spark-exec-0123-conf-map' } },
      ],
      tolerations: [
        { key: 'dataplane.io/spark', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
  });
  const createPod = (object: unknown, user: AdmissionRequest['userInfo'] = fromDriver, namespace = tenant) =>
    admit(objects, { operation: 'CREATE', resource: 'pods', namespace, userInfo: user, object });

  test('one policy and binding of each kind per tenant, served as admissionregistration.k8s.io/v1', () => {
    const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => o.metadata.name);
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(policies.sort()).toEqual(
      env.tenants
        .flatMap((t) => ['driver-configmaps', 'driver-pods', 'pods'].map((k) => `dataplane-${t.name}-${k}`))
        .sort(),
    );
    for (const b of bindings) {
      expect(b.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(b.spec.validationActions).toEqual(['Deny']);
    }
  });

  test("an executor of the driver's own application is admitted", () => {
    expect(createPod(executor())).toEqual({ allowed: true, messages: [] });
  });

  const tampered: [string, (pod: any) => void, RegExp][] = [
    ['the driver role', (p) => (p.metadata.labels['spark-role'] = 'driver'), /only create executors/],
    ['no role label', (p) => delete p.metadata.labels['spark-role'], /only create executors/],
    [
      'the scheduled-jobs service account',
      (p) => (p.spec.serviceAccountName = 'scheduled-jobs'),
      /spark-executor service account/,
    ],
    [
      'the driver service account',
      (p) => (p.spec.serviceAccountName = 'spark-driver'),
      /spark-executor service account/,
    ],
    [
      "the offload pods' labels",
      (p) => (p.metadata.labels['app.kubernetes.io/name'] = 'clickhouse-offload'),
      /may not carry/,
    ],
    [
      "another job's label (e.g. the audit, which reads ClickHouse)",
      (p) => (p.metadata.labels['dataplane.io/spark-job'] = 'trading-audit'),
      /driver's own job/,
    ],
    [
      'a job label that is a pattern rather than a name',
      (p) => (p.metadata.labels['dataplane.io/spark-job'] = 'trading.compaction'),
      /driver's own job/,
    ],
    [
      'another owner',
      (p) => (p.metadata.ownerReferences[0].name = 'trading-audit-1733300000-driver'),
      /owned by the driver pod/,
    ],
    ['no owner', (p) => delete p.metadata.ownerReferences, /owned by the driver pod/],
    [
      'the ClickHouse Secret as a volume',
      (p) => p.spec.volumes.push({ name: 'x', secret: { secretName: 'clickhouse-offload' } }),
      /reference no Secret/,
    ],
    [
      'the Polaris credentials through env',
      (p) =>
        p.spec.containers[0].env.push({
          name: 'S',
          valueFrom: { secretKeyRef: { name: 'polaris-spark-credentials', key: 'client-secret' } },
        }),
      /reference no Secret/,
    ],
    [
      'a projected Secret',
      (p) => p.spec.volumes.push({ name: 'x', projected: { sources: [{ secret: { name: 'clickhouse-offload' } }] } }),
      /reference no Secret/,
    ],
    [
      'a Secret through envFrom of an init container',
      (p) =>
        (p.spec.initContainers = [{ name: 'i', image: 'x', envFrom: [{ secretRef: { name: 'clickhouse-offload' } }] }]),
      /reference no Secret/,
    ],
    [
      "another tenant's YuniKorn identity",
      (p) => (p.metadata.annotations = { 'yunikorn.apache.org/user.info': userInfo(other, 'spark-driver') }),
      /own service account/,
    ],
    [
      'the YuniKorn user label',
      (p) => (p.metadata.labels['yunikorn.apache.org/username'] = `serviceaccount.${other}.spark-driver`),
      /username label/,
    ],
    ['a toleration of every taint', (p) => p.spec.tolerations.push({ operator: 'Exists' }), /may tolerate only/],
    [
      'a toleration of the system nodes',
      (p) => p.spec.tolerations.push({ key: 'dataplane.io/system', operator: 'Exists' }),
      /may tolerate only/,
    ],
  ];
  test.each(tampered)('a pod the driver account creates with %s is denied', (_what, tamper, message) => {
    const pod = executor();
    tamper(pod);
    const result = createPod(pod);
    expect(result.allowed).toBe(false);
    expect(result.messages.join('\n')).toMatch(message);
  });

  test('patching an executor into a driver is denied too', () => {
    const pod = executor();
    pod.metadata.labels['spark-role'] = 'driver';
    const result = admit(objects, {
      operation: 'UPDATE',
      resource: 'pods',
      namespace: tenant,
      userInfo: fromDriver,
      object: pod,
      oldObject: executor(),
    });
    expect(result.allowed).toBe(false);
  });

  test("each tenant's policies bind to its own namespace only", () => {
    const pod = executor();
    pod.metadata.labels['spark-role'] = 'driver';
    // In the other namespace neither trading's bindings nor analytics' driver-account conditions match (RBAC, not
    // admission, keeps trading's driver out of it).
    expect(createPod(pod, fromDriver, other).allowed).toBe(true);
    expect(createPod(pod, fromDriver, tenant).allowed).toBe(false);
  });

  /** The driver pod the operator creates from a synthesized SparkApplication (its spec.driver), as the operator's SA. */
  const operatorDriver = (jobName: string): any => {
    const app = objects.find((o) => o.kind === 'ScheduledSparkApplication' && o.metadata.name === jobName);
    const d = app.spec.template.driver;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${jobName}-1733300000-driver`,
        namespace: tenant,
        labels: { ...d.labels, 'spark-role': 'driver' },
        annotations: { ...d.annotations },
      },
      spec: {
        serviceAccountName: d.serviceAccount,
        containers: [{ name: 'spark-kubernetes-driver', image: 'spark', env: d.env }],
        tolerations: d.tolerations,
      },
    };
  };
  const operator = { username: 'system:serviceaccount:spark-operator:spark-operator-controller' };

  test('the drivers the operator creates from the synthesized jobs are admitted: the audit job may read ClickHouse', () => {
    for (const job of ['trading-compaction', 'trading-audit'])
      expect(createPod(operatorDriver(job), operator)).toEqual({ allowed: true, messages: [] });
  });

  test('a driver of any other job that references the ClickHouse Secret is denied', () => {
    const pod = operatorDriver('trading-compaction');
    pod.spec.containers[0].env.push({
      name: 'P',
      valueFrom: { secretKeyRef: { name: 'clickhouse-offload', key: 'password' } },
    });
    const result = createPod(pod, operator);
    expect(result.allowed).toBe(false);
    expect(result.messages.join('\n')).toMatch(/may reference Secret clickhouse-offload/);
  });

  test('the Spark Connect server the operator creates from its synthesized template is admitted', () => {
    const connect = objects.find((o) => o.kind === 'SparkConnect');
    const template = connect.spec.server.template;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${connect.metadata.name}-server`,
        namespace: connect.metadata.namespace,
        ...template.metadata,
      },
      spec: template.spec,
    };
    expect(
      admit(objects, {
        operation: 'CREATE',
        resource: 'pods',
        namespace: connect.metadata.namespace,
        userInfo: operator,
        object: pod,
      }),
    ).toEqual({ allowed: true, messages: [] });
    expect(template.metadata.annotations['yunikorn.apache.org/user.info']).toBe(
      userInfo(connect.metadata.namespace, 'spark-driver'),
    );
  });

  test('the synthesized offload pods (created by the Job controller) are admitted', () => {
    const cronJobs = objects.filter((o) => o.kind === 'CronJob' && o.metadata.namespace === tenant);
    expect(cronJobs.length).toBeGreaterThan(0);
    for (const cronJob of cronJobs) {
      const template = cronJob.spec.jobTemplate.spec.template;
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'x', namespace: tenant, ...template.metadata },
        spec: template.spec,
      };
      expect(createPod(pod, { username: 'system:serviceaccount:kube-system:job-controller' })).toEqual({
        allowed: true,
        messages: [],
      });
    }
  });

  test('a YuniKorn placeholder (k8shim 1.8.0 newPlaceholder: no service account, task-group tolerations) is admitted', () => {
    const d = operatorDriver('trading-compaction');
    const placeholder = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'tg-spark-driver-0',
        namespace: tenant,
        labels: {
          ...d.metadata.labels,
          'yunikorn.apache.org/app-id': 'spark-1',
          'yunikorn.apache.org/queue': 'root.tenants.trading',
        },
        annotations: { 'yunikorn.apache.org/placeholder': 'true' },
      },
      spec: {
        containers: [{ name: 'pause', image: 'pause' }],
        tolerations: d.spec.tolerations,
        schedulerName: 'yunikorn',
      },
    };
    expect(createPod(placeholder, { username: 'system:serviceaccount:yunikorn:yunikorn-admin' })).toEqual({
      allowed: true,
      messages: [],
    });
  });

  describe('ConfigMaps', () => {
    const plan = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.namespace === tenant && o.metadata.name.endsWith('-plan'),
    );
    const execConf = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'spark-exec-0123456789abcdef-conf-map',
        namespace: tenant,
        labels: { 'spark-app-selector': 'spark-1', 'spark-role': 'executor' },
      },
      data: { 'spark.properties': '' },
    };
    const cm = (operation: AdmissionRequest['operation'], object: unknown) =>
      admit(objects, {
        operation,
        resource: 'configmaps',
        namespace: tenant,
        userInfo: fromDriver,
        ...(operation === 'DELETE' ? { oldObject: object } : { object }),
      });

    test("the driver creates and deletes its executors' ConfigMap", () => {
      expect(cm('CREATE', execConf).allowed).toBe(true);
      expect(cm('DELETE', execConf).allowed).toBe(true);
    });
    test('the driver may not delete or replace a plan ConfigMap', () => {
      expect(plan).toBeDefined();
      expect(plan.immutable).toBe(true);
      expect(cm('DELETE', plan).allowed).toBe(false);
      expect(cm('CREATE', plan).allowed).toBe(false);
    });
  });

  test('construct: a restricted Secret needs consumers with labels', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new TenantAdmissionPolicy(chart, 'p', {
          tenant: 'Bad_Name',
          restrictedSecrets: [{ name: 's', consumers: [] }],
        }),
    ).toThrow(/'tenant'[\s\S]*restrictedSecrets\[0\]\.consumers/);
  });
});
