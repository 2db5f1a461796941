import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENT_NAMES, loadEnvironment, parseEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';

const devYaml = fs.readFileSync(path.join(__dirname, '..', '..', 'environments', 'dev.yaml'), 'utf8');
const GOLD = ['gold_ohlcv_1m', 'gold_ohlcv_5m', 'gold_ohlcv_15m', 'gold_ohlcv_30m', 'gold_ohlcv_1h', 'gold_ohlcv_1d'];

describe.each(ENVIRONMENT_NAMES)('offload in %s', (name) => {
  const workloads = renderEnvironment(loadEnvironment(name)).find((c) => c.name === 'workloads')!.objects as any[];
  const cronJobs = workloads.filter((o) => o.kind === 'CronJob' && o.metadata.name.startsWith('offload-'));
  const planOf = (job: any) => {
    const configMap = job.spec.jobTemplate.spec.template.spec.volumes.find((v: any) => v.name === 'plan').configMap
      .name;
    return JSON.parse(workloads.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMap).data['plan.json']);
  };

  test('synthesizes the ADR schedule: raw :05, bronze :06, silver :07, the six gold tables together at :09', () => {
    expect(cronJobs.map((j) => [j.metadata.name, j.spec.schedule, j.spec.timeZone])).toEqual([
      ['offload-trading-raw', '5 * * * *', 'UTC'],
      ['offload-trading-bronze', '6 * * * *', 'UTC'],
      ['offload-trading-silver', '7 * * * *', 'UTC'],
      ['offload-trading-gold', '9 * * * *', 'UTC'],
    ]);
    expect(cronJobs.map((j) => planOf(j).steps.map((s: any) => s.target))).toEqual([
      ['polaris.trading.raw_trades'],
      ['polaris.trading.bronze_trades'],
      ['polaris.trading.silver_trades'],
      GOLD.map((t) => `polaris.trading.${t}`),
    ]);
  });

  test('gives every offload CronJob its own network policy', () => {
    const policies = workloads.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    expect(policies).toEqual(expect.arrayContaining(cronJobs.map((j) => j.metadata.name)));
  });
});

describe('offload configuration', () => {
  test('an offload run for an unknown tenant names the key path in the environment file', () => {
    expect(() =>
      parseEnvironment(
        devYaml.replace("      tenant: trading\n      schedule: '9", "      tenant: tradng\n      schedule: '9"),
        'environments/dev.yaml',
        'dev',
      ),
    ).toThrow(
      /environments\/dev\.yaml: 1 problem\n  - environments\/dev\.yaml:\d+: 'offload\.runs\[3\]\.tenant' is "?tradng"?; expected one of the tenants \(trading, analytics\)/,
    );
  });

  test('a TTL too short for lag + lateness + catch-up horizon fails the synth of the environment', () => {
    const env = parseEnvironment(
      devYaml.replace(
        'table: raw_trades, eventTimeColumn: event_ts, ttlHours: 72',
        'table: raw_trades, eventTimeColumn: event_ts, ttlHours: 24',
      ),
      'dev.yaml',
      'dev',
    );
    expect(() => renderEnvironment(env)).toThrow(
      /'tables\[0\]\.source\.ttlHours' is 24; expected at least 28 h .*would delete rows before they are offloaded/,
    );
  });

  test('a target not partitioned by hours fails the synth of the environment', () => {
    const env = parseEnvironment(
      devYaml.replace(
        "table: bronze_trades, partitionedBy: ['hours(event_ts)']",
        "table: bronze_trades, partitionedBy: ['days(event_ts)']",
      ),
      'dev.yaml',
      'dev',
    );
    expect(() => renderEnvironment(env)).toThrow(
      /workloads\/offload-trading-bronze: 1 problem[\s\S]*expected a spec containing hours\(event_ts\)/,
    );
  });

  test('a lag under one hour is a configuration error naming the key', () => {
    expect(() => parseEnvironment(devYaml.replace('lagHours: 1', 'lagHours: 0'), 'dev.yaml', 'dev')).toThrow(
      /'offload\.lagHours' is 0; expected a whole number >= 1/,
    );
  });
});
