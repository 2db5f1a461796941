import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runScript } from '../helpers/run-script';

describe('the project toolchain (scripts/toolchain/local-tools.ts)', () => {
  test('a missing interpreter is one line naming the tool and the fix, and leaves no venv behind', () => {
    const local = fs.mkdtempSync(path.join(os.tmpdir(), 'local-'));
    const result = runScript('scripts/pyenv.ts', [], {
      DATAPLANE_LOCAL_DIR: local,
      DATAPLANE_PYTHON: '/nonexistent/python3.11',
    });
    expect(result).toMatchObject({
      status: 1,
      stderr:
        'error: python: /nonexistent/python3.11 could not be started (spawnSync /nonexistent/python3.11 ENOENT); ' +
        'install Python 3.11+ with venv (Debian: python3-venv)\n',
    });
    expect(fs.existsSync(path.join(local, 'venv', 'bin', 'python'))).toBe(false);
  });
});
