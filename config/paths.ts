import * as fs from 'fs';
import * as path from 'path';

/** The package root (the folder holding package.json), whether running from sources or from `lib/`. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}

/** Where the environment files live; `DATAPLANE_ENVIRONMENTS_DIR` points elsewhere (e.g. a consumer's own repo). */
export function environmentsDir(): string {
  return process.env.DATAPLANE_ENVIRONMENTS_DIR ?? path.join(PACKAGE_ROOT, 'environments');
}

/** The folders of the pinned upstream data. */
export type SharedDataKind = 'schemas' | 'crds' | 'specs';

/**
 * The pinned upstream data (Kubernetes schemas, Spark Operator CRDs, Polaris specs). It is read in place, never
 * copied: `DATAPLANE_SHARED_DIR` overrides the default `../shared` beside the checkout, and each kind can be pointed
 * elsewhere on its own (`DATAPLANE_SCHEMAS_DIR`, `DATAPLANE_CRDS_DIR`, `DATAPLANE_SPECS_DIR`). README explains how to
 * fetch the same files by commit and checksum.
 */
export function sharedDataDir(kind: SharedDataKind): string {
  const own = process.env[`DATAPLANE_${kind.toUpperCase()}_DIR`];
  if (own) return own;
  return path.join(process.env.DATAPLANE_SHARED_DIR ?? path.join(PACKAGE_ROOT, '..', 'shared'), kind);
}
