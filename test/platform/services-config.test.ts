import * as fs from 'fs';
import * as path from 'path';
import {
  ConfigError,
  ENVIRONMENT_NAMES,
  environmentsDir,
  loadEnvironment,
  PACKAGE_ROOT,
  parseEnvironment,
  VERSIONS,
} from '../../config';

const dev = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8').replace(/\nservices:[\s\S]*$/, '\n');
const withServices = (services: string) => parseEnvironment(`${dev}services:\n${services}`, 'dev.yaml', 'dev');

describe('services section of the environment', () => {
  test.each(ENVIRONMENT_NAMES)('%s sets catalog access for every tenant', (name) => {
    const env = loadEnvironment(name);
    expect(Object.keys(env.services?.polaris?.catalogAccess ?? {}).sort()).toEqual(
      env.tenants.map((t) => t.name).sort(),
    );
  });

  test('is optional: every setting falls back to the component defaults', () => {
    expect(parseEnvironment(dev, 'dev.yaml', 'dev').services).toBeUndefined();
  });

  test('keeps quantities as strings and resources as requests/limits', () => {
    const env = withServices(
      '  historyServer: { replicas: 2, resources: { requests: { cpu: 1, memory: 4Gi }, limits: { cpu: 2, memory: 4Gi } } }\n',
    );
    expect(env.services?.historyServer).toEqual({
      replicas: 2,
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    });
  });

  test.each([
    [
      'a request above its limit',
      '  polaris: { resources: { requests: { cpu: 2, memory: 1Gi }, limits: { cpu: 1, memory: 1Gi } } }\n',
      /'services.polaris.resources' .*requests.cpu 2 exceeds limits.cpu 1/,
    ],
    ['zero replicas', '  polaris: { replicas: 0 }\n', /'services.polaris.replicas' is 0; expected a whole number >= 1/],
    [
      'an unknown key',
      '  sparkOperator: { webhookReplica: 2 }\n',
      /'services.sparkOperator.webhookReplica' is an unknown key \(value 2\); expected one of: controllerReplicas, webhookReplicas/,
    ],
    [
      'a bad namespace name',
      '  polaris: { catalogAccess: { trading: { write: [Trading] } } }\n',
      /'services.polaris.catalogAccess.trading.write\[0\]' is Trading; expected an Iceberg namespace/,
    ],
  ])('rejects %s', (_what, services, message) => {
    expect(() => withServices(services)).toThrow(ConfigError);
    expect(() => withServices(services)).toThrow(message);
  });
});

describe('images the package builds', () => {
  test('are tagged with what they contain', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    const images = VERSIONS.platformImages;
    expect(images.polarisProvisioner.endsWith(`:${pkg.version}`)).toBe(true);
    expect(images.sparkRuntime.endsWith(`:${pkg.version}`)).toBe(true);
  });

  test('the provisioner Dockerfile takes its base image as a build argument, with no pinned default of its own', () => {
    for (const file of ['jobs/polaris-provisioner/Dockerfile']) {
      const text = fs.readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');
      expect(text).toMatch(/^FROM \$\{[A-Z_]+\}$/m);
      expect(text).not.toMatch(/^ARG [A-Z_]+=/m);
    }
  });
});
