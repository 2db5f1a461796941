/**
 * Kubernetes resource quantities (`500m`, `4`, `1.5Gi`, `2e3`), parsed to plain numbers of base units
 * (cores for CPU, bytes for memory). Doubles are exact for every integer byte count below 8 PiB.
 */

/** The apiserver's quantity grammar (apimachinery `resource.Quantity`). */
export const QUANTITY_PATTERN =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** True when `value` is a valid Kubernetes quantity (a number, or a string in the apiserver grammar). */
export function isQuantity(value: unknown): value is string | number {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && QUANTITY_PATTERN.test(value);
}

/** Parses a quantity to base units; throws on anything the apiserver would reject. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a quantity: ${value}`);
    return value;
  }
  if (!QUANTITY_PATTERN.test(value)) throw new Error(`not a quantity: ${JSON.stringify(value)}`);
  const match = /^([+-]?[0-9.]+)(.*)$/.exec(value)!;
  const [, mantissa, suffix] = match;
  if (suffix in BINARY) return Number(mantissa) * BINARY[suffix];
  if (suffix in DECIMAL) return Number(mantissa) * DECIMAL[suffix];
  return Number(value); // exponent form such as 2e3
}

/** CPU cores as a Kubernetes quantity: whole cores plain, fractions in millicores. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes as the largest binary unit that keeps the number whole (`64Gi`, `1536Mi`). */
export function formatMemory(bytes: number): string {
  const whole = Math.round(bytes);
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    if (whole >= BINARY[unit] && whole % BINARY[unit] === 0) return `${whole / BINARY[unit]}${unit}`;
  }
  return String(whole);
}
