import { spawnSync } from 'child_process';

/**
 * The Spark conf as Spark receives it from the operator's SparkConnect start line. The operator (v2.5.2
 * internal/controller/sparkconnect/options.go) writes `--conf key=value` for every sparkConf entry and joins them with
 * spaces into one `bash -c` argument; this replays that join (a stand-in for the operator's Go code) through real bash
 * with `env` as the container's environment, and reads back each `key=value` bash passed on.
 */
export function confAfterBash(
  conf: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  const line = Object.entries(conf)
    .map(([k, v]) => `--conf ${k}=${v}`)
    .join(' ');
  const run = spawnSync('bash', ['-c', `printf '%s\\n' ${line}`], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`bash refused the start line: ${run.stderr}`);
  return Object.fromEntries(
    run.stdout
      .trimEnd()
      .split('\n')
      .filter((_, i) => i % 2 === 1)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}
