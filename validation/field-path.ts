import { KeyPath } from '../config/key-path';

/** A location inside an object: property names and array indexes (rendered by `keyPathText`). */
export type FieldPath = KeyPath;

/** Converts a JSON pointer (as ajv reports instance locations) to a path; numeric segments become indexes. */
export function fromJsonPointer(pointer: string): FieldPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}
