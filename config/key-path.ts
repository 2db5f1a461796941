/** A location inside a document: property names and array indexes, e.g. `['datasets', 0, 'tenant']`. */
export type KeyPath = readonly (string | number)[];

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * A key path as text, the one way the package writes them: `datasets[0].tenant`. Keys that are not plain names (label
 * keys, namespaces with dots) are bracketed, as the API server names fields: `metadata.labels[app.kubernetes.io/name]`.
 */
export function keyPathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_NAME.test(String(segment))) text += text === '' ? String(segment) : `.${String(segment)}`;
    else text += `[${String(segment)}]`;
  }
  return text;
}
