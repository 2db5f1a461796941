import { Testing } from 'cdk8s';
import { SCHEDULED_JOB_METRIC_LABEL } from '../../constructs/conventions';
import { ScheduledSparkJob, ScheduledSparkJobProps } from '../../constructs/workloads';
import { BASE, only, synth } from './helpers';

const PROPS: ScheduledSparkJobProps = { ...BASE, schedule: '0 2 * * *', expectedRuntimeMinutes: 20 };

describe('ScheduledSparkJob', () => {
  test('defaults: Forbid, UTC, history limits, and the SparkJob spec as template', () => {
    const objects = synth((chart) => new ScheduledSparkJob(chart, 'trading-compaction', PROPS));
    const scheduled = only(objects, 'ScheduledSparkApplication');
    expect(scheduled.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
    expect(scheduled.metadata).toEqual({
      name: 'trading-compaction',
      namespace: 'trading',
      // The job name under a key the operator can turn into a metric label (`dataplane_job`) on every run.
      labels: { 'dataplane.io/tenant': 'trading', [SCHEDULED_JOB_METRIC_LABEL.key]: 'trading-compaction' },
      // The runtime and the tables its plan writes (BASE rewrites raw_trades' manifests), for the report.
      annotations: {
        'dataplane.io/expected-runtime-minutes': '20',
        'dataplane.io/iceberg-tables': 'trading.raw_trades',
      },
    });
    expect(scheduled.spec).toMatchObject({
      schedule: '0 2 * * *',
      timeZone: 'UTC',
      concurrencyPolicy: 'Forbid',
      successfulRunHistoryLimit: 3,
      failedRunHistoryLimit: 3,
      suspend: false,
    });
    expect(scheduled.spec.template.batchSchedulerOptions).toEqual({ queue: 'root.tenants.trading' });
    expect(scheduled.spec.template.driver.configMaps).toEqual([
      { name: 'trading-compaction-plan', path: '/etc/dataplane/plan' },
    ]);
    expect(only(objects, 'ConfigMap').metadata.name).toBe('trading-compaction-plan');
  });

  test('custom policy, zone and limits', () => {
    const spec = only(
      synth(
        (chart) =>
          new ScheduledSparkJob(chart, 'x', {
            ...PROPS,
            timeZone: 'Europe/London',
            concurrencyPolicy: 'Replace',
            successfulRunHistoryLimit: 1,
            failedRunHistoryLimit: 10,
            suspend: true,
          }),
      ),
      'ScheduledSparkApplication',
    ).spec;
    expect(spec).toMatchObject({
      timeZone: 'Europe/London',
      concurrencyPolicy: 'Replace',
      successfulRunHistoryLimit: 1,
      failedRunHistoryLimit: 10,
      suspend: true,
    });
  });

  describe('rejects', () => {
    const build =
      (props: Partial<ScheduledSparkJobProps>, id = 'job') =>
      () =>
        new ScheduledSparkJob(Testing.chart(), id, { ...PROPS, ...props });

    test('a name longer than 43 characters with the default nanosecond run names', () => {
      const name44 = `a${'b'.repeat(43)}`;
      expect(build({ name: name44 })).toThrow(/'name' is "ab+"; expected .* of at most 43 characters/);
      expect(() => new ScheduledSparkJob(Testing.chart(), 'x', { ...PROPS, name: `a${'b'.repeat(42)}` })).not.toThrow();
    });

    test('a name longer than the room a coarser run-name precision leaves', () => {
      expect(build({ name: `a${'b'.repeat(49)}`, runTimestampPrecision: 'millis' })).toThrow(
        /of at most 49 characters/,
      );
      expect(
        () =>
          new ScheduledSparkJob(Testing.chart(), 'x', {
            ...PROPS,
            name: `a${'b'.repeat(48)}`,
            runTimestampPrecision: 'millis',
          }),
      ).not.toThrow();
    });

    test('an unparsable schedule', () => {
      expect(build({ schedule: '0 2 * *' })).toThrow(
        /'schedule' is "0 2 \* \*"; expected a robfig\/cron schedule \(expected exactly 5 fields, found 4: \[0 2 \* \*\]\)/,
      );
      expect(build({ schedule: '0 2 * * 7' })).toThrow(
        /'schedule' is "0 2 \* \* 7"; expected a robfig\/cron schedule \(end of range \(7\) above maximum \(6\): 7\)/,
      );
    });

    test('a time-zone prefix in the schedule', () => {
      expect(build({ schedule: 'CRON_TZ=Europe/Paris 0 2 * * *' })).toThrow(
        /expected a schedule without a time-zone prefix/,
      );
    });

    test('an unknown or controller-local time zone', () => {
      expect(build({ timeZone: 'Mars/Olympus' })).toThrow(/'timeZone' is "Mars\/Olympus"; expected an IANA time zone/);
      expect(build({ timeZone: 'Local' })).toThrow(/'timeZone' is "Local"; expected an IANA time zone/);
      expect(build({ timeZone: '' })).toThrow(/'timeZone' is ""; expected an IANA time zone/);
      expect(build({ timeZone: 'europe/london' })).toThrow(
        /'timeZone' is "europe\/london"; expected an IANA time zone/,
      );
    });

    test('an unknown concurrency policy', () => {
      expect(build({ concurrencyPolicy: '' as any })).toThrow(
        /'concurrencyPolicy' is ""; expected Forbid, Replace or Allow/,
      );
    });

    test('a negative history limit', () => {
      expect(build({ failedRunHistoryLimit: -1 })).toThrow(
        /'failedRunHistoryLimit' is -1; expected a whole number >= 0/,
      );
    });

    test('an expected run time that is not whole minutes', () => {
      expect(build({ expectedRuntimeMinutes: 0 })).toThrow(
        /'expectedRuntimeMinutes' is 0; expected a whole number of minutes >= 1/,
      );
    });

    test('the SparkJob rules too (denied sparkConf)', () => {
      expect(build({ sparkConf: { 'spark.master': 'k8s://x' } })).toThrow(
        /'sparkConf.spark.master' is "k8s:\/\/x"; expected no value: the Spark Operator's webhook denies/,
      );
    });
  });
});
