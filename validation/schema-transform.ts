import { QUANTITY_PATTERN } from '../config';

/** An OpenAPI schema node (mutable while transforming). */
export type SchemaNode = Record<string, any>;

const QUANTITY_DEFINITION = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const V3_REF_PREFIX = '#/components/schemas/';

/** Calls `visit` on `node` and every schema below it (not on `properties` maps themselves). */
function forEachSchema(node: unknown, visit: (node: SchemaNode) => void): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const schema = node as SchemaNode;
  // A property *named* `$ref` (JSONSchemaProps has one) is a key of `properties`, reached as a child schema below,
  // never mistaken for a reference.
  for (const child of Object.values(schema.properties ?? {})) forEachSchema(child, visit);
  forEachSchema(schema.additionalProperties, visit);
  forEachSchema(schema.items, visit);
  forEachSchema(schema.not, visit);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'])
    for (const child of schema[keyword] ?? []) forEachSchema(child, visit);
  visit(schema);
}

/** Unknown fields are rejected (kubectl --validate=strict, server-side apply) unless the schema preserves them. */
function closeObject(node: SchemaNode, closePropertyless: boolean): void {
  if (node['x-kubernetes-preserve-unknown-fields'] === true || node.additionalProperties !== undefined) return;
  if (node.properties !== undefined || (closePropertyless && node.type === 'object')) node.additionalProperties = false;
}

/** Integer or string; a quantity when it carries the quantity pattern (CRDs) or format (native definitions). */
function intOrString(node: SchemaNode): void {
  delete node.anyOf;
  delete node.oneOf;
  if (node.format === 'int-or-string') delete node.format;
  node.type = ['integer', 'string'];
  if (node.pattern === QUANTITY_PATTERN.source) {
    delete node.pattern;
    node.format = 'quantity';
  }
}

/**
 * Makes the native definitions of one Kubernetes version as strict as the API server (in place):
 * - `additionalProperties: false` wherever `properties` exist (kubeconform -strict semantics);
 * - IntOrString is an integer or a string, Quantity a string in the quantity grammar or a number (what the Go
 *   unmarshallers accept);
 * - duplicate enum values (the served 1.28 document has some) are removed, which ajv requires;
 * - OpenAPI v3 references `#/components/schemas/X` become `#/definitions/X`, so both formats load the same way.
 */
export function strictDefinitions(definitions: Record<string, SchemaNode>): Record<string, SchemaNode> {
  for (const definition of Object.values(definitions)) {
    forEachSchema(definition, (node) => {
      if (typeof node.$ref === 'string' && node.$ref.startsWith(V3_REF_PREFIX)) {
        node.$ref = `#/definitions/${node.$ref.slice(V3_REF_PREFIX.length)}`;
      }
      if (Array.isArray(node.enum)) node.enum = [...new Set(node.enum)];
      if (node.format === 'int-or-string') intOrString(node);
      closeObject(node, false);
    });
  }
  definitions[QUANTITY_DEFINITION] = { type: ['string', 'number'], format: 'quantity' };
  return definitions;
}

/**
 * CRD patterns are RE2 (Go), ajv's are JavaScript: RE2's inline case-insensitive flag `(?i)` (the Prometheus
 * Operator's PrometheusRule uses `^(?i)(abort|warn)?$`) becomes a class per letter, `[aA]`, outside classes and escapes.
 */
export function re2Pattern(pattern: string): string {
  const at = pattern.indexOf('(?i)');
  if (at < 0) return pattern;
  let out = pattern.slice(0, at);
  let inClass = false;
  for (let i = at + 4; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[++i] ?? '');
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += !inClass && /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  return out;
}

/**
 * Turns a CRD's `openAPIV3Schema` into a JSON Schema with the API server's structural-schema semantics (in place):
 * - every object without `x-kubernetes-preserve-unknown-fields` rejects unknown fields (the server prunes them, or
 *   rejects them under strict field validation), including objects that declare no properties at all;
 * - `x-kubernetes-int-or-string` accepts an integer or a string;
 * - `x-kubernetes-embedded-resource` requires apiVersion and kind and allows metadata;
 * - the root `metadata` is left open: the server validates it as ObjectMeta, which the caller does separately;
 * - RE2 patterns with an inline case-insensitive flag become JavaScript ones ({@link re2Pattern}).
 * `nullable` and `x-kubernetes-list-type` are handled by ajv and by the keyword in ajv-setup.
 */
export function structuralSchema(root: SchemaNode): SchemaNode {
  forEachSchema(root, (node) => {
    if (node['x-kubernetes-int-or-string'] === true) intOrString(node);
    if (typeof node.pattern === 'string') node.pattern = re2Pattern(node.pattern);
    if (node['x-kubernetes-embedded-resource'] === true) {
      node.properties = {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        ...node.properties,
      };
      node.required = [...new Set([...(node.required ?? []), 'apiVersion', 'kind'])];
    }
    closeObject(node, true);
  });
  root.properties = { ...root.properties, metadata: { type: 'object' } };
  return root;
}
