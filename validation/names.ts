/**
 * The API server's name and key formats (apimachinery `util/validation`, Kubernetes 1.28). Each function returns the
 * problems with a value, empty when it is valid, so callers can report every one.
 */
import { DNS_LABEL } from '../config';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME_CHARACTERS = /^[-a-z0-9]+$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Longest DNS-1123 / DNS-1035 label. */
export const LABEL_MAX_LENGTH = 63;
/** Longest DNS-1123 subdomain. */
export const SUBDOMAIN_MAX_LENGTH = 253;

/** Problems when `value` is longer than `max` characters. */
export function maxLength(value: string, max: number): string[] {
  return value.length > max ? [`must be no more than ${max} characters (is ${value.length})`] : [];
}

/** Problems when `value` is longer than `max` or does not match `pattern` (described by `rule`). */
function matching(value: string, max: number, pattern: RegExp, rule: string): string[] {
  return [...maxLength(value, max), ...(pattern.test(value) ? [] : [rule])];
}

/** Namespace names, container, volume and port names: RFC 1123 label. */
export function dns1123Label(value: string): string[] {
  return matching(
    value,
    LABEL_MAX_LENGTH,
    DNS_LABEL,
    "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  );
}

/** Most object names: RFC 1123 subdomain. */
export function dns1123Subdomain(value: string): string[] {
  return matching(
    value,
    SUBDOMAIN_MAX_LENGTH,
    DNS1123_SUBDOMAIN,
    "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  );
}

/** Service names (and the Spark Operator's application names): RFC 1035 label. */
export function dns1035Label(value: string): string[] {
  return matching(
    value,
    LABEL_MAX_LENGTH,
    DNS1035_LABEL,
    "must be a lowercase RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
  );
}

/** RBAC object names: anything that is a single URL path segment. */
export function pathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return [...value].filter((c) => c === '/' || c === '%').map((c) => `may not contain '${c}'`);
}

/** Label and annotation keys, selector keys: an optional DNS subdomain prefix and '/', then a name of at most 63. */
export function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2)
    return ["must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/my-name')"];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const problems: string[] = [];
  if (prefix !== undefined) {
    if (prefix === '') problems.push('prefix part must be non-empty');
    else problems.push(...dns1123Subdomain(prefix).map((p) => `prefix part ${p}`));
  }
  if (name === '') problems.push('name part must be non-empty');
  else {
    problems.push(...maxLength(name, LABEL_MAX_LENGTH).map((p) => `name part ${p}`));
    if (!QUALIFIED_NAME_PART.test(name)) {
      problems.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return problems;
}

/** Label values: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
export function labelValue(value: string): string[] {
  return matching(
    value,
    LABEL_MAX_LENGTH,
    LABEL_VALUE,
    "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  );
}

/** Named ports (IANA_SVC_NAME): at most 15 of [-a-z0-9], at least one letter, no '--', no '-' at either end. */
export function portName(value: string): string[] {
  const problems = maxLength(value, 15);
  if (!PORT_NAME_CHARACTERS.test(value)) problems.push("must contain only lowercase letters, digits and '-'");
  if (!/[a-z]/.test(value)) problems.push('must contain at least one letter');
  if (value.includes('--')) problems.push("must not contain consecutive hyphens ('--')");
  if (value.startsWith('-') || value.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems;
}

/** Port numbers: 1 to 65535. */
export function portNumber(value: number): string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** Environment variable names as Kubernetes 1.28 accepts them (1.30 relaxed this; 1.28 is the floor). */
export function envVarName(value: string): string[] {
  return ENV_VAR_NAME.test(value)
    ? []
    : ["must consist of alphabetic characters, digits, '_', '-' or '.', and must not start with a digit"];
}

/** ConfigMap and Secret keys. */
export function configMapKey(value: string): string[] {
  const problems = maxLength(value, SUBDOMAIN_MAX_LENGTH);
  if (!CONFIG_MAP_KEY.test(value)) problems.push("must consist of alphanumeric characters, '-', '_' or '.'");
  if (value === '.' || value === '..') problems.push(`must not be '${value}'`);
  else if (value.startsWith('..')) problems.push("must not start with '..'");
  return problems;
}

/** An IntOrString port: a port number, or the name of a container port. */
export function portNumberOrName(value: number | string): string[] {
  return typeof value === 'number' ? portNumber(value) : portName(value);
}

/** A count or a percentage (`ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent`). */
export function countOrPercent(value: number | string): string[] {
  if (typeof value === 'number') return value < 0 ? ['must be greater than or equal to 0'] : [];
  const match = /^([0-9]+)%$/.exec(value);
  if (match === null) return ["a valid percent string must be a numeric string followed by an ending '%'"];
  return Number(match[1]) > 100 ? ['must not be greater than 100%'] : [];
}
