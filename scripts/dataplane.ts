#!/usr/bin/env node
// The package's command: `dataplane <command> [args]`, the same programs as `npm run <command>` in this repository,
// compiled into lib/scripts. Each runs in its own node process, exactly as `npm run` starts it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The commands an installed package offers, with what each does. */
export const DATAPLANE_COMMANDS = {
  synth: 'write dist/<env>/*.k8s.yaml for the environments',
  validate: 'check the manifests under dist/ offline',
  report: 'write dist/<env>/report.html and print its summary',
  backfill: 'write a SparkApplication that backfills hours of an offloaded table',
  job: 'list the job templates, or render one for a tenant',
  'schema-data': 'fetch the pinned schemas, CRDs and specs the validator reads',
} as const;

const USAGE = [
  'usage: dataplane <command> [args]   (dataplane <command> --help for its arguments)',
  ...Object.entries(DATAPLANE_COMMANDS).map(([name, what]) => `  ${name.padEnd(12)} ${what}`),
  'Environment files are read from ./environments when it exists (DATAPLANE_ENVIRONMENTS_DIR overrides).',
].join('\n');

function main(argv: readonly string[]): number {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  if (!(command in DATAPLANE_COMMANDS)) {
    process.stderr.write(
      `error: '${command}' is not a command; expected one of ${Object.keys(DATAPLANE_COMMANDS).join(', ')}\n`,
    );
    return 1;
  }
  const env = { ...process.env };
  const own = path.resolve('environments');
  if (env.DATAPLANE_ENVIRONMENTS_DIR === undefined && fs.existsSync(own)) env.DATAPLANE_ENVIRONMENTS_DIR = own;
  // Compiled, the scripts sit beside this file; from sources (tests), sucrase registers the TypeScript loader.
  const compiled = path.join(__dirname, `${command}.js`);
  const script = fs.existsSync(compiled)
    ? [compiled]
    : ['-r', path.join(__dirname, 'register.js'), path.join(__dirname, `${command}.ts`)];
  const result = spawnSync(process.execPath, [...script, ...args], { stdio: 'inherit', env });
  return result.status ?? 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
