import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_ROOT } from '../../config';
import { pythonBin } from '../helpers/python';
import { renderedPlans } from '../helpers/rendered-jobs';

describe('the PySpark job runner (jobs/dataplane_job)', () => {
  test('passes its unittest suite, including every plan rendered here run against the fake session', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plans-'));
    try {
      const plans = renderedPlans();
      expect(Object.keys(plans).sort()).toEqual(
        [
          'backfill-raw-trades-2026081900-2026081906-plan',
          'etl-plan',
          'migration-plan',
          'offload-trading-bronze-plan',
          'offload-trading-gold-plan',
          'offload-trading-raw-plan',
          'offload-trading-silver-plan',
          'profiling-plan',
          'trading-audit-plan',
          'trading-compaction-plan',
          'trading-manifest-rewrite-plan',
          'trading-orphan-cleanup-plan',
          'trading-snapshot-expiry-plan',
        ].sort(),
      );
      for (const [name, text] of Object.entries(plans)) fs.writeFileSync(path.join(dir, `${name}.json`), text);
      const run = spawnSync(pythonBin(), ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], {
        cwd: path.join(PACKAGE_ROOT, 'jobs'),
        env: { ...process.env, DATAPLANE_RENDERED_PLANS: dir, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
        // The offload writer's scenarios commit to a real catalog and run ClickHouse's engine: most of the time.
        timeout: 300_000,
      });
      const output = `${run.stdout}${run.stderr}`;
      expect({ status: run.status, output }).toEqual({ status: 0, output: expect.stringMatching(/\nOK\n/) });
      expect(output).not.toMatch(/skipped=|\.\.\. skipped/);
      expect(output).toMatch(/test_every_rendered_plan_runs_to_the_end .* ok/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
