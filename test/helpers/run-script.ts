import { spawnSync } from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** Runs one of the package's TypeScript entry points the way `npm run` does, without type-checking. */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['-r', './scripts/register.js', script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
