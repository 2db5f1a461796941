import { FieldPath } from './field-path';
import { invalid, Problem } from './finding';
import { labelValue, qualifiedName } from './names';
import { asArray, asObject, asString, stringEntries } from './object-access';

/** Largest total size of an object's annotation keys and values. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A label map (`metadata.labels`, a Service selector, `matchLabels`): qualified-name keys, label values. */
export function labelMapProblems(labels: unknown, path: FieldPath): Problem[] {
  return stringEntries(labels).flatMap(([key, value]) => [
    ...invalid(path, key, qualifiedName(key)),
    ...invalid([...path, key], value, labelValue(value)),
  ]);
}

/** Annotation keys are qualified names (case-insensitively); keys and values together fit in 256 KiB. */
export function annotationProblems(annotations: unknown, path: FieldPath): Problem[] {
  const entries = stringEntries(annotations);
  const problems = entries.flatMap(([key]) => invalid(path, key, qualifiedName(key.toLowerCase())));
  const bytes = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  if (bytes > ANNOTATIONS_MAX_BYTES)
    problems.push({
      path,
      message: `annotations total ${bytes} bytes; must have at most ${ANNOTATIONS_MAX_BYTES} bytes`,
    });
  return problems;
}

/** A LabelSelector: valid matchLabels, and matchExpressions with a known operator and values only where it takes them. */
export function labelSelectorProblems(selector: unknown, path: FieldPath): Problem[] {
  const problems = labelMapProblems(asObject(selector)?.matchLabels, [...path, 'matchLabels']);
  asArray(asObject(selector)?.matchExpressions).forEach((expression, index) => {
    const at = [...path, 'matchExpressions', index];
    const { key, operator, values } = asObject(expression) ?? {};
    if (typeof key === 'string') problems.push(...invalid([...at, 'key'], key, qualifiedName(key)));
    const count = asArray(values).length;
    if (typeof operator === 'string' && !SELECTOR_OPERATORS.includes(operator)) {
      problems.push({
        path: [...at, 'operator'],
        message: `unsupported value "${operator}"; supported values: ${SELECTOR_OPERATORS.map((o) => `"${o}"`).join(', ')}`,
      });
    } else if ((operator === 'In' || operator === 'NotIn') && count === 0) {
      problems.push({ path: [...at, 'values'], message: "must be specified when `operator` is 'In' or 'NotIn'" });
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
      problems.push({
        path: [...at, 'values'],
        message: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      });
    }
    asArray(values).forEach((value, i) => {
      if (typeof value === 'string') problems.push(...invalid([...at, 'values', i], value, labelValue(value)));
    });
  });
  return problems;
}

/** True when a selector has neither matchLabels nor matchExpressions (it would select everything). */
export function isEmptySelector(selector: unknown): boolean {
  const object = asObject(selector);
  return (
    Object.keys(asObject(object?.matchLabels) ?? {}).length === 0 && asArray(object?.matchExpressions).length === 0
  );
}

/** Whether `labels` satisfy `selector`. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  const present = new Map(stringEntries(labels));
  const labelsMatch = stringEntries(asObject(selector)?.matchLabels).every(
    ([key, value]) => present.get(key) === value,
  );
  return (
    labelsMatch &&
    asArray(asObject(selector)?.matchExpressions).every((expression) => {
      const { key, operator, values } = asObject(expression) ?? {};
      const value = present.get(asString(key) ?? '');
      const listed = asArray(values).includes(value);
      switch (operator) {
        case 'In':
          return value !== undefined && listed;
        case 'NotIn':
          return value === undefined || !listed;
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          return false;
      }
    })
  );
}
