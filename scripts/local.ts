import { runCli } from './cli';
import { PlaneError, planeStatus, startPlane, stopPlane } from './local/plane';
import { runOnPlane } from './local/run-job';

const USAGE = 'usage: npm run local -- up | down | status | run <scheduled job name | plan.json> [--env dev]';

// `npm run local -- up|down|status|run`: the local data plane of real servers (scripts/local/plane.ts).
runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const log = (line: string) => process.stdout.write(`local: ${line}\n`);
  try {
    switch (command) {
      case 'up': {
        const plane = await startPlane(log);
        log(`S3 (moto) ${plane.s3.endpoint}, bucket ${plane.s3.bucket}`);
        log(`PostgreSQL ${plane.postgres.jdbcUrl} (user ${plane.postgres.user})`);
        log(`Spark ${plane.spark.submit}`);
        return;
      }
      case 'down':
        await stopPlane();
        log('stopped');
        return;
      case 'status': {
        const { plane, servers } = planeStatus();
        if (!plane) log('not started');
        for (const [name, state] of Object.entries(servers)) log(`${name}: ${state}`);
        return;
      }
      case 'run': {
        const env = optionValue(rest, '--env') ?? 'dev';
        const target = rest.find((arg, i) => !arg.startsWith('--') && rest[i - 1] !== '--env');
        if (!target) throw new UsageError();
        const plane = await startPlane(log);
        process.exitCode = runOnPlane(plane, target, env, log);
        return;
      }
      default:
        throw new UsageError();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${USAGE}\n`);
    } else if (error instanceof PlaneError) {
      process.stderr.write(`error: ${error.message}\n`);
    } else throw error;
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
});

class UsageError extends Error {}

function optionValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}
