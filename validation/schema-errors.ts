import type { ErrorObject } from 'ajv';
import { show } from '../config';
import { fromJsonPointer } from './field-path';
import type { Problem } from './finding';

/** Translates ajv errors into API-server-like messages at the offending field. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): Problem[] {
  return errors.map(describe);
}

function describe(error: ErrorObject): Problem {
  const at = fromJsonPointer(error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return { path: [...at, params.missingProperty], message: 'required field is missing' };
    case 'additionalProperties':
      return {
        path: [...at, params.additionalProperty],
        message: `unknown field ${JSON.stringify(params.additionalProperty)}`,
      };
    case 'type':
      return { path: at, message: `expected ${[params.type].flat().join(' or ')}, got ${describeValue(error.data)}` };
    case 'enum':
      return {
        path: at,
        message: `unsupported value ${show(error.data)}; supported values: ${(params.allowedValues as unknown[]).map((v) => show(v)).join(', ')}`,
      };
    case 'format':
      return { path: at, message: formatMessage(params.format, error.data) };
    case 'x-kubernetes-list-type':
      return { path: at, message: error.message! };
    default:
      return { path: at, message: `${error.message} (got ${show(error.data)})` };
  }
}

function formatMessage(format: string, value: unknown): string {
  if (format === 'quantity')
    return `${show(value)} is not a valid quantity (a number with an optional suffix, such as 500m, 1.5Gi or 2e3)`;
  if (format === 'int32') return `${show(value)} is out of range for int32 (-2147483648 to 2147483647)`;
  return `${show(value)} is not a valid ${format}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return show(value);
}
