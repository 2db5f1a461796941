import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCommand, UsageError } from '../../scripts/cli';
import { ROOT } from '../helpers/run-script';

/** Runs a script as `npm run` does; several at once, since each spends most of its time loading modules. */
function run(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', './scripts/register.js', `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const SCRIPTS = ['synth', 'validate', 'report', 'backfill', 'bench', 'images', 'pyenv', 'tools', 'lint-python'];

describe('the command-line tools', () => {
  test.each(SCRIPTS)('%s answers --help with its usage and exits 0', async (script) => {
    const result = await run(script, ['--help']);
    expect(result).toEqual({ status: 0, stdout: expect.stringMatching(`^usage: npm run ${script}\\b`), stderr: '' });
    expect(result.stdout).toContain('--help  ');
  });

  test.each(SCRIPTS)('%s refuses an unknown flag in one line', async (script) => {
    expect(await run(script, ['--bogus'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `error: npm run ${script}: unknown flag --bogus (see \`npm run ${script} -- --help\`)\n`,
    });
  });

  test.each(['synth', 'validate', 'report', 'backfill'])('%s refuses a bare --env in one line', async (script) => {
    expect(await run(script, ['--env'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `error: npm run ${script}: --env needs a value (see \`npm run ${script} -- --help\`)\n`,
    });
  });

  test.each([
    ['synth', 'out'],
    ['report', 'out'],
    ['validate', 'dir'],
  ])('%s refuses a file as --%s in one line', async (script, flag) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'a-file');
    fs.writeFileSync(file, '');
    expect(await run(script, [`--${flag}`, file])).toEqual({
      status: 1,
      stdout: '',
      stderr: `error: npm run ${script}: --${flag} ${JSON.stringify(file)} is a file; expected a directory (see \`npm run ${script} -- --help\`)\n`,
    });
  });
});

describe('parseCommand', () => {
  const COMMAND = {
    name: 'npm run x',
    summary: 'A test command.',
    flags: {
      env: { type: 'string', multiple: true, description: 'environments' },
      out: { type: 'string', default: 'dist', description: 'output' },
      table: { type: 'string', required: true, description: 'table' },
      dry: { type: 'boolean', description: 'switch' },
    },
  } as const;
  const parse = (...argv: string[]) => parseCommand(COMMAND, argv, () => {});

  test('types the values: lists split on commas, defaults, switches', () => {
    expect(parse('--env', 'dev,prod', '--env', 'staging', '--table', 't', '--dry')).toEqual({
      env: ['dev', 'prod', 'staging'],
      out: 'dist',
      table: 't',
      dry: true,
    });
    expect(parse('--table=t')).toEqual({ env: undefined, out: 'dist', table: 't', dry: false });
  });

  test.each([
    [['--table', 't', 'extra'], 'unexpected argument extra'],
    [['--table', 't', '--dry=yes'], '--dry takes no value'],
    [['--table', 't', '--env='], '--env needs a value'],
    [['--table', '--dry'], '--table needs a value'],
    [[], 'missing --table'],
  ])('%j is one usage line: %s', (argv, problem) => {
    expect(() => parse(...argv)).toThrow(new UsageError(COMMAND, problem));
  });

  test('--help prints the usage and returns nothing', () => {
    const printed: string[] = [];
    expect(parseCommand(COMMAND, ['--table', 't', '--help'], (text) => printed.push(text))).toBeUndefined();
    expect(printed[0].split('\n')[0]).toBe(
      'usage: npm run x -- [--env <value>] [--out <value>] --table <value> [--dry]',
    );
    expect(printed[0]).toContain('output (default: dist)');
  });
});
