/** How the report writes numbers: short, without trailing zeros. */

/** `12.5`, `3`, `0.25`: at most `digits` decimals, no trailing zeros. */
export function num(n: number, digits = 1): string {
  return String(Number(n.toFixed(digits)));
}

/** Bytes as GiB with at most one decimal. */
export function gib(bytes: number): string {
  return `${num(bytes / 2 ** 30)} GiB`;
}

/** CPU cores with at most two decimals. */
export function cores(n: number): string {
  return `${num(n, 2)} CPU`;
}

export function percent(fraction: number): string {
  return `${num(fraction * 100)}%`;
}
