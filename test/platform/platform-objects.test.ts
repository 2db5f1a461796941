import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ENVIRONMENT_NAMES, loadEnvironment, VERSIONS } from '../../config';
import {
  PlatformNamespaces,
  PlatformNetworkPolicies,
  PlatformPriorityClass,
  PolarisProvisioning,
  PolarisProvisioningProps,
  SparkHistoryServer,
} from '../../constructs';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../../jobs/polaris-provisioner/plan';
import { renderEnvironment } from '../../stacks/k8s';
import { formatFinding, validateObjects } from '../../validation';

const synth = (build: (chart: ReturnType<typeof Testing.chart>) => void) => {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart);
};
const find = (objects: any[], kind: string, namespace: string | undefined, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  if (!found) throw new Error(`no ${kind} ${namespace}/${name}`);
  return found;
};

describe('PlatformNamespaces', () => {
  test('creates the four platform namespaces by default', () => {
    const objects = synth((c) => new PlatformNamespaces(c, 'ns'));
    expect(objects.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['Namespace', 'spark-operator'],
      ['Namespace', 'yunikorn'],
      ['Namespace', 'polaris'],
      ['Namespace', 'spark-history'],
    ]);
  });

  test('each namespace enforces the strictest Pod Security level its pods pass', () => {
    const objects = synth((c) => new PlatformNamespaces(c, 'ns'));
    const levels = objects.map((o) => [
      o.metadata.name,
      o.metadata.labels['pod-security.kubernetes.io/enforce'],
      o.metadata.labels['pod-security.kubernetes.io/warn'],
      o.metadata.labels['pod-security.kubernetes.io/enforce-version'],
    ]);
    const v = `v${VERSIONS.kubernetes.cluster}`;
    expect(levels).toEqual([
      ['spark-operator', 'restricted', 'restricted', v],
      ['yunikorn', 'privileged', 'baseline', v],
      ['polaris', 'baseline', 'restricted', v],
      ['spark-history', 'restricted', 'restricted', v],
    ]);
  });

  test('the History Server pods pass restricted (the level their namespace enforces)', () => {
    const shs = synth(
      (c) =>
        new SparkHistoryServer(c, 'shs', { eventLogBucket: 'acme-events', tenants: ['trading'], region: 'eu-west-1' }),
    );
    const deployments = shs.filter((o) => o.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of pod.containers)
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });
  test.each([
    ['an empty list', [], /at least one namespace/],
    ['a name that is not a DNS label', ['Polaris'], /'namespaces\[0\]' is "Polaris"; expected a DNS label/],
    ['a duplicate', ['a', 'a'], /'namespaces\[1\]' is "a"; expected a namespace not listed before/],
  ])('rejects %s', (_what, namespaces, message) => {
    expect(() => synth((c) => new PlatformNamespaces(c, 'ns', { namespaces }))).toThrow(message);
  });
});

describe('PlatformNetworkPolicies', () => {
  const objects = synth((c) => new PlatformNetworkPolicies(c, 'np', { vpcCidr: '10.20.0.0/16' }));
  const policy = (ns: string, name: string) => find(objects, 'NetworkPolicy', ns, name).spec;
  const vpc = { ipBlock: { cidr: '10.20.0.0/16' } };
  const tcp = (port: number) => ({ protocol: 'TCP', port });

  test('every platform namespace denies all traffic by default and allows only DNS to kube-dns', () => {
    for (const ns of ['spark-operator', 'yunikorn', 'polaris', 'spark-history']) {
      expect(policy(ns, 'default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(policy(ns, 'allow-dns')).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [{ protocol: 'UDP', port: 53 }, tcp(53)],
          },
        ],
      });
    }
  });

  test('the API server reaches the Spark Operator webhook on 9443, and the operator reaches the API server', () => {
    expect(policy('spark-operator', 'allow-webhook-from-api-server')).toEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'spark-operator',
          'app.kubernetes.io/instance': 'spark-operator',
          'app.kubernetes.io/component': 'webhook',
        },
      },
      policyTypes: ['Ingress'],
      ingress: [{ from: [vpc], ports: [tcp(9443)] }],
    });
    expect(policy('spark-operator', 'allow-api-server').egress).toEqual([{ to: [vpc], ports: [tcp(443)] }]);
    expect(policy('spark-operator', 'allow-probes-from-nodes').ingress).toEqual([{ from: [vpc], ports: [tcp(8081)] }]);
  });

  test('YuniKorn: the host-network admission controller reaches the scheduler REST port from node addresses', () => {
    expect(policy('yunikorn', 'allow-scheduler-from-nodes')).toEqual({
      podSelector: { matchLabels: { app: 'yunikorn', component: 'yunikorn-scheduler' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [vpc], ports: [tcp(9080)] }],
    });
    // No policy can select the admission controller (host network): nothing here mentions 9089.
    expect(JSON.stringify(objects)).not.toContain('9089');
  });

  test('Spark job namespaces and the provisioner reach Polaris on 8181; Polaris reaches PostgreSQL, AWS APIs and Pod Identity', () => {
    const server = { matchLabels: { 'app.kubernetes.io/name': 'polaris', 'app.kubernetes.io/instance': 'polaris' } };
    expect(policy('polaris', 'allow-catalog-clients')).toEqual({
      podSelector: server,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'dataplane.io/spark-jobs': 'enabled' } } },
            { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'polaris-provisioner' } } },
          ],
          ports: [tcp(8181)],
        },
      ],
    });
    expect(policy('polaris', 'allow-probes-from-nodes').ingress).toEqual([{ from: [vpc], ports: [tcp(8182)] }]);
    expect(policy('polaris', 'allow-server-egress').egress).toEqual([
      { to: [vpc], ports: [tcp(5432)] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443)] },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [tcp(80)] },
    ]);
    expect(policy('polaris', 'allow-provisioner-egress').egress).toEqual([
      { to: [{ podSelector: server }], ports: [tcp(8181)] },
      { to: [vpc], ports: [tcp(443), tcp(5432)] },
    ]);
  });

  test('the History Server takes no ingress by default and only reaches AWS APIs', () => {
    const ingress = objects.filter(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'spark-history' && o.spec.ingress,
    );
    expect(ingress).toEqual([]);
    expect(policy('spark-history', 'allow-history-server-egress').egress.map((e: any) => e.to[0].ipBlock.cidr)).toEqual(
      ['0.0.0.0/0', '169.254.170.23/32'],
    );
  });

  test('the History Server UI is reachable from the declared namespaces only', () => {
    const declared = synth(
      (c) => new PlatformNetworkPolicies(c, 'np', { vpcCidr: '10.20.0.0/16', historyServerClients: ['ops'] }),
    );
    const ui = find(declared, 'NetworkPolicy', 'spark-history', 'allow-ui-from-declared-namespaces');
    expect(ui.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'spark-history-server' } });
    expect(ui.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ops'] }],
            },
          },
        ],
        ports: [tcp(18080)],
      },
    ]);
  });

  test.each([
    ['vpcCidr', { vpcCidr: '10.0.0.0' }, /'vpcCidr' is "10.0.0.0"; expected an IPv4 CIDR block/],
    [
      'dns.podLabels',
      { vpcCidr: '10.0.0.0/16', dns: { namespace: 'kube-system', podLabels: {} } },
      /'dns.podLabels' is \{\}/,
    ],
  ])('rejects a bad %s', (_key, props, message) => {
    expect(() => synth((c) => new PlatformNetworkPolicies(c, 'np', props))).toThrow(message);
  });
});

describe('SparkHistoryServer', () => {
  const objects = synth(
    (c) =>
      new SparkHistoryServer(c, 'shs', {
        eventLogBucket: 'acme-events',
        tenants: ['trading', 'audit'],
        region: 'eu-west-1',
      }),
  );

  test('one server per tenant, each reading only s3a://<bucket>/spark-events/<tenant>/, with the shared Pod Identity service account', () => {
    for (const tenant of ['trading', 'audit']) {
      const conf = find(objects, 'ConfigMap', 'spark-history', `spark-history-server-${tenant}`).data[
        'spark-defaults.conf'
      ];
      expect(conf).toContain(`spark.history.fs.logDirectory s3a://acme-events/spark-events/${tenant}/\n`);
      const pod = find(objects, 'Deployment', 'spark-history', `spark-history-server-${tenant}`).spec.template;
      expect(pod.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'spark-history-server',
        'dataplane.io/tenant': tenant,
      });
      expect(pod.spec.serviceAccountName).toBe('spark-history-server');
    }
    expect(objects.filter((o: any) => o.kind === 'ServiceAccount')).toHaveLength(1);
    const conf = find(objects, 'ConfigMap', 'spark-history', 'spark-history-server-trading').data[
      'spark-defaults.conf'
    ];
    expect(conf).toContain('spark.hadoop.fs.s3a.endpoint.region eu-west-1\n');
    expect(conf).toContain(
      'spark.hadoop.fs.s3a.aws.credentials.provider software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider\n',
    );
    expect(find(objects, 'ServiceAccount', 'spark-history', 'spark-history-server').automountServiceAccountToken).toBe(
      false,
    );
  });

  test('runs the pinned image hardened on system nodes, with probes, resources and a heap of 3/4 of the limit', () => {
    const deployment = find(objects, 'Deployment', 'spark-history', 'spark-history-server-trading');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(deployment.spec.replicas).toBe(1);
    expect(container.image).toBe(VERSIONS.platformImages.sparkRuntime);
    expect(container.command).toEqual(['/opt/spark/bin/spark-class', 'org.apache.spark.deploy.history.HistoryServer']);
    expect(container.env).toEqual([
      { name: 'SPARK_CONF_DIR', value: '/etc/spark/conf' },
      { name: 'SPARK_DAEMON_MEMORY', value: '768m' },
    ]);
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '1Gi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    // An HTTP check run inside the container: no ingress from node addresses needed.
    expect(container.readinessProbe.exec.command).toEqual([
      'python3',
      '-c',
      "import urllib.request; urllib.request.urlopen('http://127.0.0.1:18080/api/v1/version', timeout=4)",
    ]);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 185 });
    expect(pod.nodeSelector).toEqual({ 'dataplane.io/node-pool': 'system' });
    // Tainted system nodes: the toleration lets it land there; the platform priority keeps it above tenant work.
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBe('dataplane-platform');
    expect(pod.serviceAccountName).toBe('spark-history-server');
    expect(find(objects, 'Service', 'spark-history', 'spark-history-server-trading').spec.ports).toEqual([
      { name: 'http', port: 18080, targetPort: 'http', protocol: 'TCP' },
    ]);
  });

  test.each([
    ['eventLogBucket', { eventLogBucket: 'Bad_Bucket' }, /'eventLogBucket' is "Bad_Bucket"/],
    ['region', { region: 'europe' }, /'region' is "europe"/],
    ['replicas', { replicas: 0 }, /'replicas' is 0/],
    ['tenants', { tenants: [] }, /'tenants' is \[\]; expected at least one tenant/],
    [
      'resources',
      { resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '1', memory: '2Gi' } } },
      /requests.memory 4Gi exceeds limits.memory 2Gi/,
    ],
  ])('rejects a bad %s', (_key, props, message) => {
    expect(() =>
      synth(
        (c) =>
          new SparkHistoryServer(c, 'shs', {
            eventLogBucket: 'acme-events',
            tenants: ['trading'],
            region: 'eu-west-1',
            ...props,
          }),
      ),
    ).toThrow(message);
  });
});

describe('PolarisProvisioning', () => {
  const props: PolarisProvisioningProps = {
    realm: 'POLARIS',
    catalogName: 'lake',
    warehouseBucket: 'acme-wh',
    region: 'eu-west-1',
    tenants: ['trading', 'audit'],
  };

  test('defaults: each tenant writes its own namespace; the Job bootstraps, then provisions from the mounted plan', () => {
    let plan: any;
    const objects = synth((c) => (plan = new PolarisProvisioning(c, 'p', props).plan));
    expect(plan.namespaces).toEqual(['audit', 'trading']);
    expect(plan.tenants.map((t: any) => [t.principal, t.grants])).toEqual([
      ['trading-spark', [{ namespace: 'trading', privileges: WRITE_PRIVILEGES }]],
      ['audit-spark', [{ namespace: 'audit', privileges: WRITE_PRIVILEGES }]],
    ]);
    expect(JSON.parse(find(objects, 'ConfigMap', 'polaris', 'polaris-provisioner-plan').data['plan.json'])).toEqual(
      plan,
    );

    const job = find(objects, 'Job', 'polaris', 'polaris-provisioner');
    const pod = job.spec.template.spec;
    expect(job.spec.backoffLimit).toBe(4);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('polaris-provisioner');
    const envOf = (c: any) =>
      c.env.map((e: any) => [e.name, e.value ?? `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]);
    // The root credentials go to the admin tool as a file on a memory volume, written from Secret-backed variables.
    const [credentials, bootstrap] = pod.initContainers;
    expect(credentials.image).toBe(VERSIONS.platformImages.polarisProvisioner);
    expect(credentials.command).toEqual(['node', '/app/bootstrap-credentials.js']);
    expect(envOf(credentials)).toEqual([
      ['BOOTSTRAP_REALM', 'POLARIS'],
      ['BOOTSTRAP_FILE', '/run/polaris-bootstrap/credentials.json'],
      ['POLARIS_CLIENT_ID', 'polaris-root-credentials/client-id'],
      ['POLARIS_CLIENT_SECRET', 'polaris-root-credentials/client-secret'],
    ]);
    expect(bootstrap.image).toBe(VERSIONS.polaris.adminToolImage);
    expect(bootstrap.args).toEqual(['bootstrap', '-f', '/run/polaris-bootstrap/credentials.json']);
    expect(envOf(bootstrap)).toEqual([
      ['POLARIS_PERSISTENCE_TYPE', 'relational-jdbc'],
      ['QUARKUS_DATASOURCE_USERNAME', 'polaris-persistence/username'],
      ['QUARKUS_DATASOURCE_PASSWORD', 'polaris-persistence/password'],
      ['QUARKUS_DATASOURCE_JDBC_URL', 'polaris-persistence/jdbcUrl'],
    ]);
    expect(pod.volumes).toContainEqual({ name: 'bootstrap', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    // No container carries a secret in its command line: only variables and files do.
    for (const c of [...pod.initContainers, ...pod.containers])
      expect(JSON.stringify([c.command ?? [], c.args ?? []])).not.toMatch(/\$\(|CLIENT|SECRET/i);
    const [provisioner] = pod.containers;
    expect(provisioner.image).toBe(VERSIONS.platformImages.polarisProvisioner);
    expect(
      provisioner.env
        .filter((e: any) => e.valueFrom?.configMapKeyRef)
        .map((e: any) => [e.name, e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key]),
    ).toEqual([
      ['CATALOG_ROLE_ARN', 'polaris-catalog-storage', 'role-arn'],
      ['CATALOG_EXTERNAL_ID', 'polaris-catalog-storage', 'external-id'],
      ['CATALOG_KMS_KEY_ARN', 'polaris-catalog-storage', 'kms-key-arn'],
    ]);
    expect(provisioner.volumeMounts).toEqual([{ name: 'plan', mountPath: '/etc/polaris-provisioner', readOnly: true }]);
    expect(job.spec.template.metadata.annotations['dataplane.io/plan-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a Role in each tenant namespace: get/update of the credentials Secret only, plus create', () => {
    const objects = synth((c) => new PolarisProvisioning(c, 'p', props));
    for (const tenant of props.tenants) {
      expect(find(objects, 'Role', tenant, 'polaris-provisioner').rules).toEqual([
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: ['polaris-spark-credentials'],
          verbs: ['get', 'update'],
        },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      ]);
      expect(find(objects, 'RoleBinding', tenant, 'polaris-provisioner').subjects).toEqual([
        { kind: 'ServiceAccount', name: 'polaris-provisioner', namespace: 'polaris' },
      ]);
    }
  });

  test('access from config: write and read namespaces get their privilege sets; a changed plan changes the pod template', () => {
    const hash = (p: PolarisProvisioningProps) =>
      find(
        synth((c) => new PolarisProvisioning(c, 'p', p)),
        'Job',
        'polaris',
        'polaris-provisioner',
      ).spec.template.metadata.annotations['dataplane.io/plan-sha256'];
    let plan: any;
    synth(
      (c) =>
        (plan = new PolarisProvisioning(c, 'p', { ...props, catalogAccess: { audit: { read: ['trading', 'audit'] } } })
          .plan),
    );
    expect(plan.tenants[1].grants).toEqual([
      { namespace: 'trading', privileges: READ_PRIVILEGES },
      { namespace: 'audit', privileges: READ_PRIVILEGES },
    ]);
    expect(hash(props)).toBe(hash({ ...props }));
    expect(hash({ ...props, catalogAccess: { audit: { read: ['trading'] } } })).not.toBe(hash(props));
  });

  test.each([
    ['realm', { realm: 'bad realm' }, /'realm' is "bad realm"/],
    ['catalogName', { catalogName: 'Lake' }, /'catalogName' is "Lake"/],
    ['warehouseBucket', { warehouseBucket: 'x' }, /'warehouseBucket' is "x"/],
    ['region', { region: 'eu' }, /'region' is "eu"/],
    ['tenants (empty)', { tenants: [] }, /'tenants' is \[\]; expected at least one tenant/],
    ['tenants (invalid)', { tenants: ['Trading'] }, /'tenants\[0\]' is "Trading"/],
    ['tenants (duplicate)', { tenants: ['a', 'a'] }, /'tenants\[1\]' is "a"; expected a tenant not listed before/],
    [
      'catalogAccess (unknown tenant)',
      { catalogAccess: { risk: { write: ['risk'] } } },
      /'catalogAccess.risk' .*expected an entry for one of the tenants \(trading, audit\)/,
    ],
    [
      'catalogAccess (nothing granted)',
      { catalogAccess: { audit: {} } },
      /'catalogAccess.audit' is \{\}; expected at least one namespace/,
    ],
    [
      'catalogAccess (bad namespace)',
      { catalogAccess: { audit: { read: ['Bad.Name'] } } },
      /'catalogAccess.audit.read\[0\]' is "Bad.Name"; expected an Iceberg namespace/,
    ],
    [
      'catalogAccess (read and write)',
      { catalogAccess: { audit: { write: ['x'], read: ['x'] } } },
      /'catalogAccess.audit.read\[0\]' is "x"; expected a namespace not also in write/,
    ],
    ['backoffLimit', { backoffLimit: -1 }, /'backoffLimit' is -1/],
    [
      'resources',
      { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } } },
      /'resources'/,
    ],
  ])('rejects a bad %s', (_key, bad, message) => {
    expect(() => synth((c) => new PolarisProvisioning(c, 'p', { ...props, ...bad }))).toThrow(message);
  });
});

describe.each(ENVIRONMENT_NAMES)('%s: platform-service objects by layer', (envName) => {
  const env = loadEnvironment(envName);
  const charts = Object.fromEntries(renderEnvironment(env).map((c) => [c.name, c.objects as any[]]));

  test('platform layer: namespaces, network policies and the History Server on the environment bucket; provisioning layer: the Job', () => {
    const platformKinds = new Set(charts.platform.map((o) => o.kind));
    expect([...platformKinds]).toEqual(
      expect.arrayContaining(['Namespace', 'NetworkPolicy', 'Deployment', 'Service', 'ConfigMap', 'ServiceAccount']),
    );
    for (const tenant of env.tenants) {
      const conf = find(charts.platform, 'ConfigMap', 'spark-history', `spark-history-server-${tenant.name}`).data[
        'spark-defaults.conf'
      ];
      expect(conf).toContain(
        `spark.history.fs.logDirectory s3a://${env.storage.eventLogBucket}/spark-events/${tenant.name}/`,
      );
    }
    expect(find(charts.platform, 'NetworkPolicy', 'polaris', 'allow-probes-from-nodes').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: env.network.vpcCidr } },
    ]);
    expect(charts.provisioning.filter((o) => o.kind === 'Job').map((o) => o.metadata.name)).toEqual([
      'polaris-provisioner',
    ]);
    expect(charts.provisioning.filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace)).toEqual(
      env.tenants.map((t) => t.name),
    );
    expect(charts.tenants.some((o) => o.kind === 'Job')).toBe(false);
  });
});

describe('strict validation', () => {
  test('every platform-service construct, with non-default settings, synthesizes objects the API server accepts', () => {
    const objects = synth((c) => {
      new PlatformNamespaces(c, 'ns');
      new PlatformPriorityClass(c, 'priority');
      for (const tenant of ['trading', 'audit']) new k8s.KubeNamespace(c, tenant, { metadata: { name: tenant } });
      new PlatformNetworkPolicies(c, 'np', { vpcCidr: '10.40.0.0/16' });
      new SparkHistoryServer(c, 'shs', {
        eventLogBucket: 'acme-events',
        tenants: ['trading', 'audit'],
        region: 'eu-west-1',
        replicas: 2,
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '3Gi' } },
      });
      new PolarisProvisioning(c, 'p', {
        realm: 'POLARIS',
        catalogName: 'lake',
        warehouseBucket: 'acme-wh',
        region: 'eu-west-1',
        tenants: ['trading', 'audit'],
        catalogAccess: { audit: { read: ['trading'] } },
        backoffLimit: 0,
      });
    });
    expect(validateObjects([{ name: 'platform', objects }], 'test').findings.map(formatFinding)).toEqual([]);
  });
});
