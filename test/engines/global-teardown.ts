import { stopPlane } from '../../scripts/local/plane';

/** Stops the plane only when the suite's set-up started it. */
export default async function globalTeardown(): Promise<void> {
  if ((globalThis as { planeStartedByJest?: boolean }).planeStartedByJest) await stopPlane();
}
