/**
 * Narrowing helpers for parsed manifests. Objects read from YAML can have any shape; the schema check reports wrong
 * types, so the rules read fields through these and simply skip what is not the expected type.
 */

export type JsonObject = Record<string, unknown>;

/** `value` when it is a plain object, else undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** `value` when it is an array, else an empty array. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The string entries of a map such as `labels`; entries of other types are left to the schema check. */
export function stringEntries(value: unknown): [string, string][] {
  return Object.entries(asObject(value) ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
}

/** Follows `path` through nested objects and arrays. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
