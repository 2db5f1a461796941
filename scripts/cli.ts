import { DataPlaneError } from '../config';

/**
 * Runs a command-line entry point: bad input (a DataPlaneError) prints its problems and exits 1 without a stack trace;
 * anything else is a bug and keeps its stack.
 */
export function runCli(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof DataPlaneError) {
        process.stderr.write(`error: ${error.message}\n`);
      } else {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      }
      process.exitCode = 1;
    });
}
