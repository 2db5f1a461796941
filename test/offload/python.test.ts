import { spawnSync } from 'child_process';
import * as path from 'path';

test('the offload step passes its exactly-once tests against the fake lakehouse', () => {
  const result = spawnSync('python3', ['-m', 'unittest', '-v', 'tests.test_offload'], {
    cwd: path.join(__dirname, '..', '..', 'jobs'),
    encoding: 'utf8',
  });
  expect(result.stderr).toMatch(/Ran 14 tests[\s\S]*\nOK\s*$/);
  expect(result.status).toBe(0);
});
