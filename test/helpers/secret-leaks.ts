/** Names of settings that hold secrets. */
const SECRET_NAME = /(password|passwd|secret|token|credential|private[-_.]?key|access[-_.]?key)/i;
/**
 * A value that only refers to secrets held elsewhere: `$(VAR)`, `{{ ... }}`, or `${A}` references joined by `:` and
 * optionally double-quoted for a shell (a Spark Connect credential expanded from Secret-backed env).
 */
const REFERENCE = /^(\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{[^}]+\}\}|"?\$\{[^}]+\}(:\$\{[^}]+\})*"?)$/;
/** Literals that are secrets whatever they are called. */
const SECRET_VALUES: [string, RegExp][] = [
  ['a PEM key or certificate', /-----BEGIN [A-Z ]+-----/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a URL with a password', /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
  ['a password parameter', /[?&;](password|secret)=[^&;\s]+/i],
];

/**
 * Every place where a synthesized object carries a secret: a Secret with data, an env var or map entry named like a secret
 * with a literal value, or a string that looks like a key, an access key or a password. Empty when the objects only refer
 * to secrets by name.
 */
export function findSecretLeaks(objects: readonly any[]): string[] {
  const leaks: string[] = [];
  for (const object of objects) {
    const at = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
    if (
      object.kind === 'Secret' &&
      (Object.keys(object.data ?? {}).length > 0 || Object.keys(object.stringData ?? {}).length > 0)
    ) {
      leaks.push(`${at} carries data`);
    }
    walk(object, at, leaks);
  }
  return leaks;
}

function walk(node: unknown, path: string, leaks: string[]): void {
  if (typeof node === 'string') {
    for (const [what, pattern] of SECRET_VALUES) if (pattern.test(node)) leaks.push(`${path} holds ${what}`);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      // An env var: { name, value } with a secret-like name must come from a secretKeyRef instead.
      if (
        item &&
        typeof item === 'object' &&
        typeof item.name === 'string' &&
        typeof item.value === 'string' &&
        SECRET_NAME.test(item.name) &&
        !REFERENCE.test(item.value)
      ) {
        leaks.push(`${path}[${i}] sets ${item.name} to a literal`);
      }
      walk(item, `${path}[${i}]`, leaks);
    });
    return;
  }
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      // Flags such as `token-refresh-enabled: "true"` are named like secrets but cannot be one.
      if (
        typeof value === 'string' &&
        !['', 'true', 'false'].includes(value) &&
        SECRET_NAME.test(key) &&
        !REFERENCE.test(value) &&
        !/(Key|Ref|Name)$/.test(key)
      ) {
        leaks.push(`${path}.${key} is a literal secret`);
      }
      walk(value, `${path}.${key}`, leaks);
    }
  }
}
