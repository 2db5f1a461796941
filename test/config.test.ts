import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, ENVIRONMENT_NAMES, loadEnvironment, parseEnvironment } from '../config';

const valid = fs.readFileSync(path.join(__dirname, '..', 'environments', 'dev.yaml'), 'utf8');

/** The problems a broken copy of dev.yaml produces. */
function problemsOf(text: string): string[] {
  try {
    parseEnvironment(text, 'environments/dev.yaml', 'dev');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('environments/dev.yaml');
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('environment configuration', () => {
  test.each(ENVIRONMENT_NAMES)('%s loads and names itself', (name) => {
    const env = loadEnvironment(name);
    expect(env.name).toBe(name);
    expect(env.tenants.length).toBeGreaterThan(0);
  });

  test('an unknown key names its path, its value and the keys that exist', () => {
    const problems = problemsOf(
      valid.replace('    owner: market-data-platform', '    owner: market-data-platform\n    ownr: typo'),
    );
    expect(problems).toEqual([
      `environments/dev.yaml:27: 'tenants[0].ownr' is an unknown key (value typo); expected one of: name, owner, budget`,
    ]);
  });

  test('a wrong type names the path, the value and the expected type', () => {
    const problems = problemsOf(valid.replace('pods: 60', 'pods: sixty'));
    expect(problems).toEqual([`environments/dev.yaml:27: 'tenants[0].budget.pods' is sixty; expected a finite number`]);
  });

  test('a tenant name that is not a DNS label is rejected', () => {
    const problems = problemsOf(valid.replace('name: trading', 'name: Trading_Desk'));
    expect(problems).toEqual([
      expect.stringMatching(/^environments\/dev\.yaml:25: 'tenants\[0\]\.name' is Trading_Desk; expected a DNS label/),
    ]);
  });

  test('a negative quota is rejected', () => {
    const problems = problemsOf(valid.replace('cpu: 16,', 'cpu: -4,'));
    expect(problems).toEqual([
      `environments/dev.yaml:27: 'tenants[0].budget.cpu' is -4; expected a non-negative quantity for cpu`,
    ]);
  });

  test('a malformed quantity is rejected', () => {
    const problems = problemsOf(valid.replace('memory: 64Gi', 'memory: 64GB'));
    expect(problems).toEqual([
      expect.stringMatching(
        /^environments\/dev\.yaml:27: 'tenants\[0\]\.budget\.memory' is 64GB; expected a Kubernetes quantity for memory/,
      ),
    ]);
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf(
      valid
        .replace('name: trading', 'name: Trading')
        .replace('pods: 30', 'pods: -1')
        .replace('region: eu-west-1', 'region: europe'),
    );
    expect(problems).toHaveLength(3);
  });

  test('a duplicate tenant is rejected', () => {
    const problems = problemsOf(valid.replace('name: analytics', 'name: trading'));
    expect(problems).toEqual([
      `environments/dev.yaml:28: 'tenants[1].name' is trading; expected a tenant name not already used by tenants[0]`,
    ]);
  });

  test('the name must match the file', () => {
    expect(problemsOf(valid.replace('name: dev', 'name: prod'))).toEqual([
      `environments/dev.yaml:2: 'name' is prod; expected "dev", the name of the file`,
    ]);
  });

  test('duplicate YAML keys are a syntax error', () => {
    expect(problemsOf(valid.replace('region: eu-west-1', 'region: eu-west-1\nregion: eu-west-2'))).toEqual([
      `environments/dev.yaml:4: YAML syntax error: the key "region" appears twice in one mapping; expected each key once`,
    ]);
  });

  test('an unknown environment lists the known ones', () => {
    expect(() => loadEnvironment('qa')).toThrow(
      /environment "qa" does not exist; expected one of the environments in .*: dev, prod, staging$/m,
    );
  });

  test('a missing file is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-'));
    expect(() => loadEnvironment('dev', { dir })).toThrow(path.join(dir, 'dev.yaml'));
  });
});
