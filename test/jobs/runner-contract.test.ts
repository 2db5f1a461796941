import { spawnSync } from 'child_process';
import * as path from 'path';
import { PACKAGE_ROOT } from '../../config';
import { REFUSAL_EXIT_CODE } from '../../jobs/plan';
import { pythonBin } from '../helpers/python';

describe('the exit-code contract between jobs/plan.ts and the runner', () => {
  test('the runner exits with the REFUSAL_EXIT_CODE that jobs/plan.ts declares when a step refuses', () => {
    // A real run of the CLI on a plan whose step refuses (an orphan-file age under the minimum), with the tests' fake session.
    const script = [
      'import json, sys, tempfile',
      'from dataplane_job.cli import main',
      'from tests.fake_spark import FakeSpark',
      'from tests.helpers import ENV, plan',
      'spec = {"type": "remove-orphan-files", "table": "polaris.trading.raw_trades", "olderThanHours": 1, "dryRun": False}',
      'with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle: json.dump(plan(spec), handle)',
      'sys.exit(main([handle.name], session_factory=lambda name: FakeSpark(), env=ENV, log=lambda line: None))',
    ].join('\n');
    const run = spawnSync(pythonBin(), ['-c', script], {
      cwd: path.join(PACKAGE_ROOT, 'jobs'),
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: REFUSAL_EXIT_CODE,
      stderr:
        'error: refused for data safety: step 1 (remove-orphan-files): olderThanHours 1 is under 24: files of writes in progress would be deleted\n',
    });
    // Distinct from the codes that are retried (1: a step failed, 2: an invalid plan).
    expect([0, 1, 2]).not.toContain(REFUSAL_EXIT_CODE);
  });
});
