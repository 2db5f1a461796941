import Ajv, { ErrorObject, KeywordDefinition } from 'ajv';
import addFormats from 'ajv-formats';
import { QUANTITY_PATTERN } from '../config';

type Schema = Record<string, unknown>;

/**
 * List-map key fields the API server defaults before server-side apply compares entries (`ports[].protocol` is TCP
 * when omitted); without this, two ports differing only by an omitted protocol would not be seen as duplicates.
 */
const LIST_MAP_KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** A compiled keyword check; ajv reads the errors it leaves on itself. */
type ListValidator = ((items: unknown[], context?: { instancePath: string }) => boolean) & {
  errors?: Partial<ErrorObject>[];
};

/**
 * `x-kubernetes-list-type`: entries of a `set` must be unique, and entries of a `map` unique by their
 * `x-kubernetes-list-map-keys` (server-side apply rejects duplicates: "duplicate entries for key").
 */
const listTypeKeyword: KeywordDefinition = {
  keyword: 'x-kubernetes-list-type',
  type: 'array',
  schemaType: 'string',
  errors: true,
  compile(listType: string, parentSchema: Schema) {
    const keys = parentSchema['x-kubernetes-list-map-keys'];
    let identify: ((item: unknown) => string | undefined) | undefined;
    if (listType === 'set') identify = (item) => JSON.stringify(item);
    if (listType === 'map' && Array.isArray(keys)) identify = (item) => mapKey(item, keys as string[]);
    if (identify === undefined) return () => true;
    const identifyItem = identify;
    const validate: ListValidator = (items, context) => {
      const seen = new Set<string>();
      const errors: Partial<ErrorObject>[] = [];
      items.forEach((item, index) => {
        const key = identifyItem(item);
        if (key === undefined) return;
        if (seen.has(key)) {
          errors.push({
            keyword: 'x-kubernetes-list-type',
            instancePath: `${context?.instancePath ?? ''}/${index}`,
            message: `duplicate entries for key ${key}`,
            params: { listType },
          });
        }
        seen.add(key);
      });
      validate.errors = errors;
      return errors.length === 0;
    };
    return validate;
  },
};

/** `[containerPort=8080,protocol="TCP"]`, or undefined when an item lacks a key (the `required` check reports that). */
function mapKey(item: unknown, keys: readonly string[]): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const parts: string[] = [];
  for (const key of keys) {
    const value = (item as Record<string, unknown>)[key] ?? LIST_MAP_KEY_DEFAULTS[key];
    if (value === undefined) return undefined;
    parts.push(`${key}=${JSON.stringify(value)}`);
  }
  return `[${parts.join(',')}]`;
}

/**
 * CRD patterns are Go (RE2) regular expressions, as the API server evaluates them. JavaScript lacks RE2's leading
 * inline flags (the Prometheus Operator's PrometheusRule has `^(?i)(abort|warn)?$`): they become RegExp flags.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    const inline = /^(\^?)\(\?([ims]+)\)/.exec(pattern);
    if (!inline) return new RegExp(pattern, flags);
    return new RegExp(inline[1] + pattern.slice(inline[0].length), flags + inline[2]);
  },
  { code: 'new RegExp' },
);

/**
 * An ajv instance with the Kubernetes OpenAPI formats and extensions. `strict: false` lets the other `x-kubernetes-*`
 * annotations through; `verbose` keeps the offending value on each error for the messages. Code optimisation is off:
 * it makes compiling the large Spark CRDs about a third faster, and validating a few hundred objects does not need it.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { optimize: false, regExp: goRegExp } });
  addFormats(ajv, ['date-time', 'byte', 'int32', 'int64', 'double']);
  ajv.addFormat('quantity', QUANTITY_PATTERN);
  ajv.addKeyword(listTypeKeyword);
  return ajv;
}
