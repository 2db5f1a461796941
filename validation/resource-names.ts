/** Resource-name classes from the core API helpers (`pkg/apis/core/helper`, Kubernetes 1.28). */

/**
 * Extended resources: prefixed names outside kubernetes.io (e.g. `nvidia.com/gpu`, `count/jobs.batch`). Their
 * quantities must be whole numbers.
 */
export function isExtendedResource(name: string): boolean {
  return isPrefixed(name) && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** Only native resources other than huge pages may be requested below their limit. */
export function isOvercommitAllowed(name: string): boolean {
  return (!isPrefixed(name) || name.includes('kubernetes.io/')) && !name.startsWith('hugepages-');
}

/** Resource names with a `/` (qualified names); unprefixed ones must be standard names. */
export function isPrefixed(name: string): boolean {
  return name.includes('/');
}
