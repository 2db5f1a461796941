/** A location inside an object: property names and array indexes. */
export type FieldPath = readonly (string | number)[];

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Renders a path the way the API server names fields (`spec.template.spec.containers[0].ports[1].name`). Map keys
 * that are not plain names, such as label keys, are bracketed: `metadata.labels[app.kubernetes.io/name]`.
 */
export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_NAME.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${segment}]`;
  }
  return text;
}

/** Converts a JSON pointer (as ajv reports instance locations) to a path; numeric segments become indexes. */
export function fromJsonPointer(pointer: string): FieldPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}
