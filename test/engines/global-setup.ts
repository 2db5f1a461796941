import { PlaneError, runningPlane, startPlane } from '../../scripts/local/plane';

/** Starts the local data plane for the engine suite, unless one started by `npm run local -- up` already runs. */
export default async function globalSetup(): Promise<void> {
  if (runningPlane()) return;
  const log = (line: string) => process.stderr.write(`local plane: ${line}\n`);
  try {
    await startPlane(log);
  } catch (error) {
    if (!(error instanceof PlaneError)) throw error;
    // One line saying which component and how to fix it; startPlane already stopped what it had started.
    process.stderr.write(`\nerror: ${error.message}\n`);
    process.exit(1);
  }
  (globalThis as { planeStartedByJest?: boolean }).planeStartedByJest = true;
}
