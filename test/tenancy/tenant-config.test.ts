import { stringify } from 'yaml';
import { ConfigError, EnvironmentConfig, loadEnvironment, parseEnvironment } from '../../config';

const FILE = 'environments/dev.yaml';

/** dev.yaml as loaded, changed by `edit`, then parsed again from YAML text. */
function parseEdited(edit: (env: any) => void): EnvironmentConfig {
  const env = structuredClone(loadEnvironment('dev')) as any;
  edit(env);
  return parseEnvironment(stringify(env), FILE, 'dev');
}

function problemsOf(edit: (env: any) => void): readonly string[] {
  try {
    parseEdited(edit);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.subject).toBe(FILE);
    // Each line names the file and line; the rest is what these tests compare.
    for (const line of error.problems) expect(line).toMatch(/^environments\/dev\.yaml:\d+: /);
    return error.problems.map((line) => line.replace(/^[^:]+:\d+: /, ''));
  }
  throw new Error('expected a ConfigError');
}

describe('tenant budgets in the environment files', () => {
  test('every shipped environment gives each tenant a guaranteed share', () => {
    expect(loadEnvironment('dev').tenants.map((t) => [t.name, t.budget.guaranteed])).toEqual([
      ['trading', { cpu: '8', memory: '32Gi' }],
      ['analytics', { cpu: '4', memory: '16Gi' }],
    ]);
    expect(loadEnvironment('staging').tenants.every((t) => t.budget.guaranteed)).toBe(true);
    expect(loadEnvironment('prod').tenants.map((t) => t.budget.guaranteed?.cpu)).toEqual(['48', '24', '16']);
  });

  test('a guarantee above the budget is rejected at its key', () => {
    expect(problemsOf((env) => (env.tenants[0].budget.guaranteed.cpu = 20))).toEqual([
      `'tenants[0].budget.guaranteed.cpu' is 20; expected at most budget.cpu (16): a guarantee above the quota can never be used`,
    ]);
  });

  test('guarantees that add up to more than the Spark capacity are rejected, naming each tenant', () => {
    expect(
      problemsOf((env) => {
        env.tenants[0].budget = { cpu: 40, memory: '64Gi', pods: 60, guaranteed: { cpu: 40, memory: '32Gi' } };
        env.tenants[1].budget = { cpu: 32, memory: '32Gi', pods: 30, guaranteed: { cpu: 32, memory: '16Gi' } };
      }),
    ).toEqual([
      `'capacity.spark.maxCpu' is "64"; expected at least 72, the sum of the tenants' guaranteed cpu (trading 40 + analytics 32): guarantees must fit the Spark capacity`,
    ]);
  });

  test('a tenant budget larger than the Spark capacity is rejected', () => {
    expect(problemsOf((env) => (env.tenants[1].budget.memory = '512Gi'))).toEqual([
      `'tenants[1].budget.memory' is 512Gi; expected at most capacity.spark.maxMemory (256Gi): tenant 'analytics' cannot use more than the Spark nodes provide`,
    ]);
  });

  test('budgets may add up to more than the capacity: idle capacity is borrowed up to each budget', () => {
    const env = parseEdited((e) => {
      e.tenants[0].budget.cpu = 60;
      e.tenants[1].budget.cpu = 60;
    });
    expect(env.tenants.map((t) => t.budget.cpu)).toEqual(['60', '60']);
  });

  test('quantities YuniKorn cannot express are rejected', () => {
    expect(
      problemsOf((env) => {
        env.tenants[0].budget.cpu = '0.0005';
        env.tenants[0].budget.guaranteed.memory = '0.5';
      }),
    ).toEqual([
      `'tenants[0].budget.cpu' is "0.0005"; expected a CPU quantity in whole millicores (YuniKorn queues have no finer unit), e.g. 250m or 4`,
      `'tenants[0].budget.guaranteed.memory' is "0.5"; expected a memory quantity of whole bytes (YuniKorn queues count bytes), e.g. 512Mi or 64Gi`,
    ]);
  });

  test('object counts are whole numbers and unknown ones are rejected', () => {
    expect(problemsOf((env) => (env.tenants[0].budget.objects = { services: -1, ingresses: 2 }))).toEqual([
      `'tenants[0].budget.objects.services' is -1; expected a whole number >= 0`,
      `'tenants[0].budget.objects.ingresses' is an unknown key (value 2); expected one of: configmaps, services, secrets, persistentvolumeclaims`,
    ]);
  });
});
