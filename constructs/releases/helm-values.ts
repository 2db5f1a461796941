/** Values given to a chart on top of the typed ones: any YAML-shaped data. */
export type ExtraValues = { readonly [key: string]: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `extra` over `base` into a new object, the way Helm merges values files: objects merge key by key, anything
 * else (scalars, lists, null) in `extra` replaces. Neither input is modified.
 */
export function mergeValues<T extends object>(base: T, extra: ExtraValues = {}): T {
  // A plain copy (not structuredClone): values must stay ordinary arrays and objects of this realm for Pulumi's serializer.
  const copy = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(copy)
      : isPlainObject(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
        : v;
  const merge = (a: unknown, b: unknown): unknown => {
    if (!isPlainObject(a) || !isPlainObject(b)) return copy(b);
    const out = copy(a) as Record<string, unknown>;
    for (const [key, value] of Object.entries(b)) out[key] = key in a ? merge(a[key], value) : copy(value);
    return out;
  };
  return merge(base, extra) as T;
}

/** An image reference split the way charts take it. */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
}

/** Splits `repo/name:tag` (the registry may carry a port) into repository and tag. */
export function splitImage(ref: string): ImageRef {
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) throw new Error(`image ${JSON.stringify(ref)} has no tag`);
  return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}
