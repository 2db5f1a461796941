import { isQuantity, parseQuantity, show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { qualifiedName } from '../names';
import { asArray, asObject, JsonObject } from '../object-access';
import { isOvercommitAllowed, isPrefixed } from '../resource-names';

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

/** The bounds of one item, in the order they must be: each present value at most the next present one. */
const ORDER = ['min', 'defaultRequest', 'default', 'max'] as const;
type Bound = (typeof ORDER)[number];

/** `ValidateLimitRange` (1.28): known, distinct types; no defaults on Pod limits; min ≤ defaultRequest ≤ default ≤ max. */
export const limitRanges = perObject((target) => {
  if (target.object.kind !== 'LimitRange') return [];
  const seen = new Set<string>();
  const problems = asArray(asObject(target.object.spec)?.limits).flatMap((item, index) => {
    const limit = asObject(item) ?? {};
    const at: FieldPath = ['spec', 'limits', index];
    const found: Problem[] = [];
    if (typeof limit.type === 'string') {
      found.push(...invalid([...at, 'type'], limit.type, limitTypeProblems(limit.type)));
      if (seen.has(limit.type)) found.push({ path: [...at, 'type'], message: `duplicate value ${show(limit.type)}` });
      seen.add(limit.type);
    }
    if (limit.type === 'Pod') {
      for (const bound of ['default', 'defaultRequest']) {
        if (limit[bound] !== undefined)
          found.push({ path: [...at, bound], message: "may not be specified when `type` is 'Pod'" });
      }
    }
    return [...found, ...orderProblems(limit, at)];
  });
  return toFindings(target, problems);
});

function limitTypeProblems(type: string): string[] {
  if (isPrefixed(type)) return qualifiedName(type);
  return LIMIT_TYPES.includes(type)
    ? []
    : [`must be a standard limit type or fully qualified (${LIMIT_TYPES.join(', ')})`];
}

function orderProblems(limit: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const bounds = Object.fromEntries(ORDER.map((bound) => [bound, asObject(limit[bound]) ?? {}])) as Record<
    Bound,
    JsonObject
  >;
  const resources = new Set(ORDER.flatMap((bound) => Object.keys(bounds[bound])));
  for (const resource of resources) {
    const present = ORDER.filter((bound) => isQuantity(bounds[bound][resource]));
    for (let i = 0; i < present.length; i++) {
      for (const upper of present.slice(i + 1)) {
        const low = bounds[present[i]][resource] as string | number;
        const high = bounds[upper][resource] as string | number;
        if (parseQuantity(low) > parseQuantity(high)) {
          problems.push({
            path: [...path, present[i], resource],
            message: `${present[i]} value ${low} is greater than ${upper} value ${high}`,
          });
        }
      }
    }
    const request = bounds.defaultRequest[resource];
    const fallback = bounds.default[resource];
    if (
      !isOvercommitAllowed(resource) &&
      isQuantity(request) &&
      isQuantity(fallback) &&
      parseQuantity(request) !== parseQuantity(fallback)
    ) {
      problems.push({
        path: [...path, 'defaultRequest', resource],
        message: `default value ${fallback} must equal default request value ${request} for ${resource}, which cannot be overcommitted`,
      });
    }
    const ratio = asObject(limit.maxLimitRequestRatio)?.[resource];
    if (isQuantity(ratio) && parseQuantity(ratio) < 1)
      problems.push({ path: [...path, 'maxLimitRequestRatio', resource], message: `ratio ${ratio} is less than 1` });
  }
  return problems;
}
