/**
 * ObjectMeta rules beyond names and labels (apimachinery `ValidateObjectMeta`, core `ValidateNamespace`): finalizer
 * names, and a Namespace's `spec.finalizers`.
 */
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { qualifiedName } from '../names';
import { asArray, valueAt } from '../object-access';

/** Finalizers without a domain prefix that the API server accepts (`metav1` and core finalizer names). */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** `validateFinalizerName`: a qualified name, and a standard one unless it has a domain prefix. */
export function finalizerNames(value: unknown, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  asArray(value).forEach((name, i) => {
    if (typeof name !== 'string') return;
    const at = [...path, i];
    const format = qualifiedName(name);
    problems.push(...invalid(at, name, format));
    if (format.length === 0 && !name.includes('/') && !STANDARD_FINALIZERS.includes(name))
      problems.push(...invalid(at, name, ['name is neither a standard finalizer name nor is it fully qualified']));
  });
  return problems;
}

/** `metadata.finalizers` of every object, and `spec.finalizers` of Namespaces. */
export const objectMetadata = perObject((target) =>
  toFindings(target, [
    ...finalizerNames(valueAt(target.object, ['metadata', 'finalizers']), ['metadata', 'finalizers']),
    ...(target.object.kind === 'Namespace'
      ? finalizerNames(valueAt(target.object, ['spec', 'finalizers']), ['spec', 'finalizers'])
      : []),
  ]),
);
