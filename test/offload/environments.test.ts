import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { ENVIRONMENT_NAMES, loadEnvironment, OFFLOAD_DEFAULTS, VERSIONS } from '../../config';
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

describe('offload rules in the environment schema', () => {
  // A consumer's own environment file, outside the package: every message names that file and the key path.
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offload-env-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (edit: (yaml: string) => string) => {
    const edited = edit(devYaml);
    expect(edited).not.toBe(devYaml); // the edit applied
    fs.writeFileSync(path.join(dir, 'dev.yaml'), edited);
    return () => loadEnvironment('dev', { dir });
  };
  const file = () => path.join(dir, 'dev.yaml').replace(/[./\\]/g, (c) => `\\${c}`);

  test('an offload run for an unknown tenant', () => {
    expect(
      load((y) => y.replace("      tenant: trading\n      schedule: '9", "      tenant: tradng\n      schedule: '9")),
    ).toThrow(
      new RegExp(
        `${file()}: 1 problem\\n  - ${file()}:\\d+: 'offload\\.runs\\[3\\]\\.tenant' is tradng; expected one of the tenants \\(trading, analytics\\)`,
      ),
    );
  });

  test('a TTL too short for lag + lateness + catch-up horizon', () => {
    expect(
      load((y) =>
        y.replace(
          'table: raw_trades, eventTimeColumn: event_ts, ttlHours: 72',
          'table: raw_trades, eventTimeColumn: event_ts, ttlHours: 24',
        ),
      ),
    ).toThrow(
      new RegExp(
        `${file()}: 1 problem\\n  - ${file()}:\\d+: 'offload\\.runs\\[0\\]\\.tables\\[0\\]\\.ttlHours' is 24; expected at least 28 h = lag 1 \\+ allowed lateness 2 \\+ catch-up horizon 25 .*would delete rows before they are offloaded`,
      ),
    );
  });

  test('a target partition spec without hours(<event column>)', () => {
    expect(
      load((y) =>
        y.replace(
          "table: bronze_trades, partitionedBy: ['hours(event_ts)']",
          "table: bronze_trades, partitionedBy: ['days(event_ts)']",
        ),
      ),
    ).toThrow(
      new RegExp(
        `${file()}: 1 problem\\n  - ${file()}:\\d+: 'offload\\.runs\\[1\\]\\.tables\\[0\\]\\.target\\.partitionedBy' is \\['days\\(event_ts\\)'\\]; expected a spec containing hours\\(event_ts\\)`,
      ),
    );
  });

  test('a schedule that is not hourly', () => {
    expect(load((y) => y.replace("schedule: '6 * * * *'", "schedule: '6 */2 * * *'"))).toThrow(
      new RegExp(
        `${file()}: 1 problem\\n  - ${file()}:\\d+: 'offload\\.runs\\[1\\]\\.schedule' is '6 \\*/2 \\* \\* \\*'; expected an hourly cron`,
      ),
    );
  });

  test('a duplicate run name of one tenant', () => {
    expect(load((y) => y.replace('    - name: bronze\n', '    - name: raw\n'))).toThrow(
      new RegExp(
        `${file()}: 1 problem\\n  - ${file()}:\\d+: 'offload\\.runs\\[1\\]\\.name' is raw; expected a run name not already used by runs\\[0\\] of tenant trading`,
      ),
    );
  });

  test('a table offloaded by two runs', () => {
    expect(load((y) => y.replace('table: bronze_trades, partitionedBy', 'table: raw_trades, partitionedBy'))).toThrow(
      new RegExp(
        `${file()}: 1 problem\\n  - ${file()}:\\d+: 'offload\\.runs\\[1\\]\\.tables\\[0\\]\\.target' is \\{.*\\}; expected a table not already offloaded by runs\\[0\\]\\.tables\\[0\\]`,
      ),
    );
  });

  test('a lag under one hour, a catch-up bound under two hours and an unknown dedup mode, all at once', () => {
    const attempt = load((y) =>
      y
        .replace('lagHours: 1', 'lagHours: 0\n  maxCatchUpHours: 1')
        .replace(
          'table: raw_trades, eventTimeColumn: event_ts,',
          'table: raw_trades, eventTimeColumn: event_ts, dedup: latest,',
        ),
    );
    expect(attempt).toThrow(/'offload\.lagHours' is 0; expected a whole number >= 1/);
    expect(attempt).toThrow(/'offload\.maxCatchUpHours' is 1; expected a whole number >= 2/);
    expect(attempt).toThrow(/'offload\.runs\[0\]\.tables\[0\]\.dedup' is latest; expected one of "none", "final"/);
  });

  test('the shipped defaults come from one place', () => {
    const env = loadEnvironment('dev');
    expect(env.offload).toMatchObject({
      maxCatchUpHours: OFFLOAD_DEFAULTS.maxCatchUpHours,
      image: VERSIONS.offloadWriter.image,
    });
    expect(env.offload!.runs[0]).toMatchObject({ expectedRuntimeMinutes: OFFLOAD_DEFAULTS.expectedRuntimeMinutes });
    expect(env.offload!.runs[0].tables[0].dedup).toBe('none');
  });
});
