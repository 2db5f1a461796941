import { formatCpu, formatMemory } from '../config';

/**
 * YuniKorn resource quantities and the resource arithmetic of its config validator (yunikorn-core 1.8.0
 * `pkg/common/resources`). Values are exact integers: vcore in millicores, memory in bytes, other types as written.
 */

/** YuniKorn's name for CPU; a `cpu` key would be a different resource that pods never request. */
export const VCORE = 'vcore';

const INT64_MAX = 2n ** 63n - 1n;

const MULTIPLIERS: Record<string, bigint> = {
  '': 1n,
  k: 10n ** 3n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  E: 10n ** 18n,
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
};

/** The quantity grammar: digits, then an optional suffix; no sign, no decimals. Whitespace is ignored. */
const GRAMMAR = /^([0-9]+)([mkKMGTPE]i?)?$/;

/** What a quantity may look like, for messages. */
export const QUANTITY_EXPECTED =
  'a whole number with an optional suffix k M G T P E Ki Mi Gi Ti Pi Ei (m only for vcore), no sign or decimals';

/**
 * Parses one quantity as YuniKorn does: `vcore` without a suffix is cores (stored ×1000) and `m` is allowed only
 * for vcore; everything else is a plain count. Returns undefined when YuniKorn would reject it.
 */
export function parseYunikornQuantity(type: string, value: string): bigint | undefined {
  const match = GRAMMAR.exec(value.replace(/\s+/g, ''));
  if (!match) return undefined;
  const [, digits, suffix = ''] = match;
  const vcore = type === VCORE;
  let result: bigint;
  if (suffix === 'm') {
    if (!vcore) return undefined;
    result = BigInt(digits);
  } else {
    const multiplier = MULTIPLIERS[suffix];
    if (multiplier === undefined) return undefined;
    result = BigInt(digits) * multiplier * (vcore ? 1000n : 1n);
  }
  return result > INT64_MAX ? undefined : result;
}

/** A set of resource quantities by type. */
export type Resource = ReadonlyMap<string, bigint>;

/** Every type of `larger` is at least as big in `larger` as in `smaller`; types `larger` leaves out are unlimited. */
export function fitsInMax(larger: Resource | undefined, smaller: Resource): boolean {
  return exceeding(larger, smaller).length === 0;
}

/** The types for which `smaller` does not fit in `larger` (see {@link fitsInMax}). */
export function exceeding(larger: Resource | undefined, smaller: Resource): string[] {
  if (!larger) return [];
  return [...larger].filter(([type, max]) => (smaller.get(type) ?? 0n) > max).map(([type]) => type);
}

/** The smaller value of each type in both; a type in only one keeps that value. */
export function minPermissive(a: Resource | undefined, b: Resource | undefined): Resource | undefined {
  if (!a) return b;
  if (!b) return a;
  const result = new Map(a);
  for (const [type, value] of b)
    result.set(type, result.has(type) && result.get(type)! < value ? result.get(type)! : value);
  return result;
}

/** The sum of two resources, type by type. */
export function addResources(a: Resource, b: Resource): Resource {
  const result = new Map(a);
  for (const [type, value] of b) result.set(type, (result.get(type) ?? 0n) + value);
  return result;
}

/** True when no type has a value above zero. */
export function isZero(resource: Resource | undefined): boolean {
  return !resource || [...resource.values()].every((v) => v === 0n);
}

/** Renders a resource for messages: vcore as cores, memory in binary units, other types as numbers. */
export function formatResource(resource: Resource, types: readonly string[] = [...resource.keys()]): string {
  return types.map((type) => `${type} ${formatQuantity(type, resource.get(type) ?? 0n)}`).join(', ');
}

function formatQuantity(type: string, value: bigint): string {
  if (type === VCORE) return formatCpu(Number(value) / 1000);
  if (type === 'memory') return formatMemory(Number(value));
  return value.toString();
}
