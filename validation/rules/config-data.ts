import { show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { configMapKey } from '../names';
import { JsonObject, stringEntries } from '../object-access';

/** Largest total size of the values of a ConfigMap or Secret, decoded (`MaxSecretSize`). */
const MAX_DATA_BYTES = 1024 * 1024;

/** ConfigMap and Secret keys, ConfigMap keys in only one of data/binaryData, and the 1 MiB size limit. */
export const configData = perObject((target) => {
  const { object } = target;
  if (object.kind === 'ConfigMap') return toFindings(target, configMapProblems(object));
  if (object.kind === 'Secret') return toFindings(target, secretProblems(object));
  return [];
});

function configMapProblems(object: JsonObject): Problem[] {
  const data = stringEntries(object.data);
  const binary = stringEntries(object.binaryData);
  const problems = [...keyProblems(data, ['data']), ...keyProblems(binary, ['binaryData'])];
  const plain = new Set(data.map(([key]) => key));
  for (const [key] of binary) {
    if (plain.has(key))
      problems.push({ path: ['binaryData', key], message: `duplicate of key ${show(key)} present in data` });
  }
  const bytes =
    sum(data.map(([, value]) => Buffer.byteLength(value))) +
    sum(binary.map(([, value]) => Buffer.from(value, 'base64').length));
  if (bytes > MAX_DATA_BYTES)
    problems.push({
      path: [],
      message: `data totals ${bytes} bytes; a ConfigMap must not exceed ${MAX_DATA_BYTES} bytes`,
    });
  return problems;
}

function secretProblems(object: JsonObject): Problem[] {
  const data = stringEntries(object.data);
  const plain = stringEntries(object.stringData);
  const problems = [...keyProblems(data, ['data']), ...keyProblems(plain, ['stringData'])];
  // stringData is merged over data; data values are base64.
  const sizes = new Map(data.map(([key, value]) => [key, Buffer.from(value, 'base64').length]));
  for (const [key, value] of plain) sizes.set(key, Buffer.byteLength(value));
  const bytes = sum([...sizes.values()]);
  if (bytes > MAX_DATA_BYTES)
    problems.push({
      path: [],
      message: `data totals ${bytes} bytes; a Secret must not exceed ${MAX_DATA_BYTES} bytes`,
    });
  return problems;
}

function keyProblems(entries: readonly [string, string][], path: FieldPath): Problem[] {
  return entries.flatMap(([key]) => invalid(path, key, configMapKey(key)));
}

function sum(sizes: readonly number[]): number {
  return sizes.reduce((total, size) => total + size, 0);
}
