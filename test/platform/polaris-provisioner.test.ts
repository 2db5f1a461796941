import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CatalogAccess, loadEnvironment } from '../../config';
import { POLARIS_CREDENTIALS_SECRET, PolarisProvisioning } from '../../constructs';
import {
  KubernetesClient,
  parsePlan,
  PolarisClient,
  provision,
  ProvisioningPlan,
  ProvisionReport,
  READ_PRIVILEGES,
  WRITE_PRIVILEGES,
} from '../../jobs/polaris-provisioner';
import { writeBootstrapCredentials } from '../../jobs/polaris-provisioner/bootstrap-credentials';
import { main } from '../../jobs/polaris-provisioner/main';
import { FakeKubernetes, SecretRule } from '../helpers/fake-kubernetes';
import { FakePolaris } from '../helpers/fake-polaris';

const ROOT = { clientId: 'rootclient', clientSecret: 'rootsecret' };
const STORAGE = {
  roleArn: 'arn:aws:iam::123456789012:role/polaris-catalog',
  externalId: 'external-id-1',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
};
const TOKEN = 'service-account-token';

/** The plan and tenant Roles the construct synthesizes for the dev environment (optionally with other access). */
function synthesized(catalogAccess?: Record<string, CatalogAccess>): {
  plan: ProvisioningPlan;
  rules: Map<string, SecretRule[]>;
} {
  const env = loadEnvironment('dev');
  const chart = Testing.chart();
  const construct = new PolarisProvisioning(chart, 'provisioning', {
    realm: env.catalog.realm,
    catalogName: env.catalog.name,
    warehouseBucket: env.storage.warehouseBucket,
    region: env.region,
    tenants: env.tenants.map((t) => t.name),
    catalogAccess: catalogAccess ?? env.services?.polaris?.catalogAccess,
  });
  const rules = new Map<string, SecretRule[]>();
  for (const role of Testing.synth(chart).filter((o) => o.kind === 'Role'))
    rules.set(role.metadata.namespace, role.rules);
  return { plan: construct.plan, rules };
}

interface World {
  polaris: FakePolaris;
  kube: FakeKubernetes;
  plan: ProvisioningPlan;
}

async function world(catalogAccess?: Record<string, CatalogAccess>): Promise<World> {
  const { plan, rules } = synthesized(catalogAccess);
  const polaris = await new FakePolaris(plan.realm, ROOT).start();
  const kube = await new FakeKubernetes(TOKEN, rules).start();
  return { polaris, kube, plan };
}

async function run(w: World, plan = w.plan): Promise<ProvisionReport> {
  const client = new PolarisClient({ baseUrl: w.polaris.url, realm: plan.realm });
  await client.connect(ROOT, { attempts: 1, delayMs: 0 });
  return provision(plan, {
    polaris: client,
    kubernetes: new KubernetesClient({ baseUrl: w.kube.url, token: TOKEN }),
    catalogStorage: STORAGE,
    log: () => undefined,
  });
}

/** Everything provisioning decides, independent of generated secrets and request history. */
function outcome(w: World) {
  const { catalogs, principals, principalRoles } = w.polaris.state;
  const grants = (g: Record<string, any>) => `${g.type}:${(g.namespace ?? []).join('.')}:${g.privilege}`;
  return {
    catalogs: [...catalogs.entries()].map(([name, c]) => ({
      name,
      storage: c.body.storageConfigInfo,
      namespaces: [...c.namespaces].sort(),
      roles: Object.fromEntries([...c.roles.entries()].map(([r, v]) => [r, v.grants.map(grants).sort()])),
    })),
    principals: Object.fromEntries([...principals.entries()].map(([name, p]) => [name, [...p.roles].sort()])),
    principalRoles: Object.fromEntries(
      [...principalRoles.entries()].map(([name, m]) => [
        name,
        Object.fromEntries([...m.entries()].map(([c, r]) => [c, [...r].sort()])),
      ]),
    ),
    secrets: [...w.kube.secrets.values()].map((s) => ({
      at: `${s.namespace}/${s.name}`,
      keys: Object.keys(s.data).sort(),
      labels: s.labels,
      works: w.polaris.authenticates(
        s.data[POLARIS_CREDENTIALS_SECRET.clientIdKey],
        s.data[POLARIS_CREDENTIALS_SECRET.clientSecretKey],
      ),
    })),
  };
}

const worlds: World[] = [];
async function fresh(catalogAccess?: Record<string, CatalogAccess>): Promise<World> {
  const w = await world(catalogAccess);
  worlds.push(w);
  return w;
}
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    expect([...w.polaris.violations, ...w.kube.violations]).toEqual([]);
    await Promise.all([w.polaris.stop(), w.kube.stop()]);
  }
});

describe('Polaris provisioner against the management API spec', () => {
  test('a fresh run creates the catalog, namespaces, roles, exact grants and principals, and writes working credentials', async () => {
    const w = await fresh();
    const report = await run(w);
    expect(report.changes.length).toBeGreaterThan(0);

    const createCatalog = w.polaris.requests.find((r) => r.operationId === 'createCatalog')!;
    expect(createCatalog.body).toEqual({
      catalog: {
        type: 'INTERNAL',
        name: 'lake',
        properties: { 'default-base-location': 's3://acme-dataplane-dev-warehouse/lake/' },
        storageConfigInfo: {
          storageType: 'S3',
          roleArn: STORAGE.roleArn,
          externalId: STORAGE.externalId,
          region: 'eu-west-1',
          allowedLocations: ['s3://acme-dataplane-dev-warehouse/lake/'],
          currentKmsKey: STORAGE.kmsKeyArn,
          allowedKmsKeys: [STORAGE.kmsKeyArn],
        },
      },
    });
    const o = outcome(w);
    expect(o.catalogs[0].namespaces).toEqual(['analytics', 'trading']);
    const write = (ns: string) => WRITE_PRIVILEGES.map((p) => `namespace:${ns}:${p}`);
    const read = (ns: string) => READ_PRIVILEGES.map((p) => `namespace:${ns}:${p}`);
    expect(o.catalogs[0].roles['trading-spark']).toEqual(write('trading').sort());
    expect(o.catalogs[0].roles['analytics-spark']).toEqual([...write('analytics'), ...read('trading')].sort());
    expect(o.principals['trading-spark']).toEqual(['trading-spark']);
    expect(o.principals['analytics-spark']).toEqual(['analytics-spark']);
    expect(o.principalRoles['trading-spark']).toEqual({ lake: ['trading-spark'] });
    expect(o.principalRoles['analytics-spark']).toEqual({ lake: ['analytics-spark'] });
    expect(o.secrets).toEqual([
      {
        at: 'trading/polaris-spark-credentials',
        keys: ['client-id', 'client-secret'],
        labels: expect.objectContaining({ 'dataplane.io/tenant': 'trading' }),
        works: true,
      },
      {
        at: 'analytics/polaris-spark-credentials',
        keys: ['client-id', 'client-secret'],
        labels: expect.objectContaining({ 'dataplane.io/tenant': 'analytics' }),
        works: true,
      },
    ]);
  });

  test('a second run changes nothing: no writes to Polaris or Kubernetes, same Secret values', async () => {
    const w = await fresh();
    await run(w);
    const before = [...w.kube.secrets.values()].map((s) => ({ ...s }));
    const [polarisMark, kubeMark] = [w.polaris.requests.length, w.kube.requests.length];

    const report = await run(w);

    expect(report.changes).toEqual([]);
    expect(w.polaris.mutations(polarisMark)).toEqual([]);
    expect(w.kube.writes(kubeMark)).toEqual([]);
    expect([...w.kube.secrets.values()]).toEqual(before);
  });

  const failurePoints: [string, (w: World) => void][] = [
    [
      'creating the second principal',
      (w) =>
        w.polaris.failOnce(
          (r) => r.operationId === 'createPrincipal' && (r.body as any).principal.name === 'analytics-spark',
        ),
    ],
    [
      'writing a Secret right after its principal was created',
      (w) => w.kube.failOnce((r) => r.method === 'POST' && r.path.includes('/namespaces/trading/')),
    ],
    [
      'granting a privilege',
      (w) => w.polaris.failOnce((r) => r.operationId === 'addGrantToCatalogRole' && r.path.includes('analytics-spark')),
    ],
    ['assigning a principal role', (w) => w.polaris.failOnce((r) => r.operationId === 'assignPrincipalRole')],
  ];
  test.each(failurePoints)('a run that fails halfway (%s) is completed by the next run', async (_point, inject) => {
    const reference = await fresh();
    await run(reference);
    const w = await fresh();
    inject(w);

    await expect(run(w)).rejects.toThrow(/500/);
    await run(w);

    expect(outcome(w)).toEqual(outcome(reference));
    expect((await run(w)).changes).toEqual([]);
  });

  test('keeps an existing catalog and principal, and resets the principal whose secret it cannot know', async () => {
    const w = await fresh();
    const existing = {
      type: 'INTERNAL',
      name: 'lake',
      properties: { 'default-base-location': 's3://older-bucket/lake/' },
      storageConfigInfo: { storageType: 'S3', roleArn: STORAGE.roleArn, allowedLocations: ['s3://older-bucket/lake/'] },
    };
    w.polaris.seedCatalog(existing);
    w.polaris.seedPrincipal('trading-spark');
    const clientId = w.polaris.state.principals.get('trading-spark')!.clientId;

    const report = await run(w);

    expect(w.polaris.requests.filter((r) => ['createCatalog', 'updateCatalog'].includes(r.operationId!))).toEqual([]);
    expect(w.polaris.state.catalogs.get('lake')!.body).toMatchObject(existing);
    expect(
      w.polaris.requests.filter((r) => r.operationId === 'createPrincipal').map((r) => (r.body as any).principal.name),
    ).toEqual(['analytics-spark']);
    expect(report.changes).toContain('reset credentials of principal trading-spark');
    expect(w.polaris.state.principals.get('trading-spark')!.clientId).toBe(clientId);
    expect(outcome(w).secrets.every((s) => s.works)).toBe(true);
  });

  test('credentials that stopped working (rotated elsewhere) are reset and the Secret rewritten', async () => {
    const w = await fresh();
    await run(w);
    w.polaris.rotate('trading-spark');

    const report = await run(w);

    expect(report.changes).toEqual([
      'reset credentials of principal trading-spark',
      'wrote secret trading/polaris-spark-credentials',
    ]);
    expect(outcome(w).secrets.every((s) => s.works)).toBe(true);
  });

  test('narrowing access in the environment revokes the privileges no longer planned', async () => {
    const w = await fresh();
    await run(w);
    const narrowed = synthesized({
      trading: { read: ['trading'] },
      analytics: { read: ['trading'], write: ['analytics'] },
    }).plan;

    await run(w, narrowed);

    const revoked = w.polaris.requests.filter((r) => r.operationId === 'revokeGrantFromCatalogRole');
    expect(revoked.map((r) => (r.body as any).grant.privilege).sort()).toEqual([
      'TABLE_CREATE',
      'TABLE_WRITE_DATA',
      'TABLE_WRITE_PROPERTIES',
    ]);
    expect(revoked.every((r) => r.path.endsWith('/catalog-roles/trading-spark/grants?cascade=false'))).toBe(true);
    expect(outcome(w).catalogs[0].roles['trading-spark']).toEqual(
      READ_PRIVILEGES.map((p) => `namespace:trading:${p}`).sort(),
    );
  });

  test('waits for a server that is still starting, but not for wrong root credentials', async () => {
    const w = await fresh();
    const client = new PolarisClient({ baseUrl: w.polaris.url, realm: w.plan.realm });
    w.polaris.unavailable(2);
    await client.connect(ROOT, { attempts: 3, delayMs: 0 });
    expect(w.polaris.requests.map((r) => r.status)).toEqual([503, 503, 200]);

    w.polaris.unavailable(3);
    await expect(client.connect(ROOT, { attempts: 2, delayMs: 0 })).rejects.toThrow(/503/);
    await expect(
      client.connect({ clientId: 'rootclient', clientSecret: 'wrong' }, { attempts: 5, delayMs: 0 }),
    ).rejects.toThrow(/rejected the root credentials/);
    expect(w.polaris.requests.at(-1)!.status).toBe(401);
  });
});

describe('the fake Polaris enforces the spec', () => {
  let polaris: FakePolaris;
  let token: string;
  beforeAll(async () => {
    polaris = await new FakePolaris('POLARIS', ROOT).start();
    const client = new PolarisClient({ baseUrl: polaris.url, realm: 'POLARIS' });
    await client.connect(ROOT, { attempts: 1, delayMs: 0 });
    token = [...(polaris as any).tokens.keys()][0];
  });
  afterAll(() => polaris.stop());

  const send = (method: string, path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${polaris.url}${path}`,
        {
          method,
          headers: { Authorization: `Bearer ${token}`, 'Polaris-Realm': 'POLARIS', 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const catalog = {
    type: 'INTERNAL',
    name: 'c',
    properties: { 'default-base-location': 's3://b/c/' },
    storageConfigInfo: { storageType: 'S3', roleArn: STORAGE.roleArn, allowedLocations: ['s3://b/c/'] },
  };

  test.each([
    [
      'a misspelt field of a discriminated subtype',
      'POST',
      '/api/management/v1/catalogs',
      { catalog: { ...catalog, storageConfigInfo: { ...catalog.storageConfigInfo, roleARN: 'x' } } },
      /unevaluated/,
    ],
    [
      'a missing required field',
      'POST',
      '/api/management/v1/catalogs',
      { catalog: { name: 'c', type: 'INTERNAL', properties: catalog.properties } },
      /storageConfigInfo/,
    ],
    [
      'a privilege the grant type does not have',
      'PUT',
      '/api/management/v1/catalogs/c/catalog-roles/r/grants',
      { grant: { type: 'namespace', namespace: ['n'], privilege: 'TABLE_EVERYTHING' } },
      /privilege/,
    ],
    ['a path parameter its pattern forbids', 'GET', '/api/management/v1/catalogs/system%24', undefined, /catalogName/],
    [
      'an undeclared query parameter',
      'GET',
      '/api/management/v1/principals?all=true',
      undefined,
      /undeclared query parameter all/,
    ],
    ['an operation the spec does not have', 'POST', '/api/management/v1/principals/p/promote', {}, /not an operation/],
  ])('rejects %s', async (_what, method, path, body, problem) => {
    const before = polaris.violations.length;
    expect(await send(method, path, body)).toBe(400);
    expect(polaris.violations.slice(before).join('\n')).toMatch(problem);
  });

  test('accepts the same request when it conforms', async () => {
    const before = polaris.violations.length;
    expect(await send('POST', '/api/management/v1/catalogs', { catalog })).toBe(201);
    expect(polaris.violations.slice(before)).toEqual([]);
  });
});

describe('provisioner entry point', () => {
  test('provisions from the mounted plan, with the in-cluster token and CA over https', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provisioner-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'ca.crt'),
      ],
      { stdio: 'ignore' },
    );
    fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
    const { plan, rules } = synthesized();
    const polaris = await new FakePolaris(plan.realm, ROOT).start();
    const kube = await new FakeKubernetes(TOKEN, rules, {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    }).start();
    worlds.push({ polaris, kube, plan });
    const planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify({ ...plan, polarisUrl: polaris.url }));
    const env = {
      PLAN_FILE: planFile,
      POLARIS_CLIENT_ID: ROOT.clientId,
      POLARIS_CLIENT_SECRET: ROOT.clientSecret,
      CATALOG_ROLE_ARN: STORAGE.roleArn,
      CATALOG_EXTERNAL_ID: STORAGE.externalId,
      CATALOG_KMS_KEY_ARN: STORAGE.kmsKeyArn,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(kube.port),
    };
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const report = await main(env, dir);
      expect(report.changes).toContain('wrote secret trading/polaris-spark-credentials');
      expect(kube.secrets.size).toBe(2);
      await expect(main({ ...env, CATALOG_ROLE_ARN: '' }, dir)).rejects.toThrow(/CATALOG_ROLE_ARN is not set/);
    } finally {
      stdout.mockRestore();
    }
    expect(() => KubernetesClient.inCluster({}, dir)).toThrow(/KUBERNETES_SERVICE_HOST/);
  });

  test('rejects a malformed plan, listing every problem', () => {
    expect(() => parsePlan('{')).toThrow(/not JSON/);
    let message = '';
    try {
      parsePlan(
        JSON.stringify({
          version: 2,
          realm: 'R',
          catalog: { name: 'c' },
          namespaces: ['a'],
          tenants: [{ tenant: 't', grants: [{ namespace: 'b', privileges: ['ALL'] }] }],
        }),
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('version must be 1');
    expect(message).toContain('polarisUrl must be a non-empty string');
    expect(message).toContain('catalog.allowedLocations must be a list');
    expect(message).toContain('tenants[0].principal must be a non-empty string');
    expect(message).toContain('tenants[0].credentialsSecret.name must be a non-empty string');
    expect(message).toContain('tenants[0].grants[0].namespace b is not in namespaces');
    expect(message).toContain('tenants[0].grants[0] has unknown privilege "ALL"');
    expect(parsePlan(JSON.stringify(synthesized().plan))).toEqual(synthesized().plan);
  });
});

describe('bootstrap credentials file', () => {
  test("is the RootCredentialsSet JSON the admin tool's bootstrap -f reads, group-readable only", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-'));
    const file = path.join(dir, 'credentials.json');
    writeBootstrapCredentials({
      BOOTSTRAP_REALM: 'POLARIS',
      POLARIS_CLIENT_ID: 'root-id',
      POLARIS_CLIENT_SECRET: 'root-secret',
      BOOTSTRAP_FILE: file,
    });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      POLARIS: { 'client-id': 'root-id', 'client-secret': 'root-secret' },
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });

  test('names every missing variable', () => {
    expect(() => writeBootstrapCredentials({ BOOTSTRAP_REALM: 'R' })).toThrow(
      'environment variables not set: POLARIS_CLIENT_ID, POLARIS_CLIENT_SECRET, BOOTSTRAP_FILE',
    );
  });
});
