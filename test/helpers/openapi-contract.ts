import * as fs from 'fs';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** One OpenAPI document and the URL prefix its paths are served under. */
export interface SpecSource {
  readonly file: string;
  readonly basePath: string;
}

/** An operation matched by method and path. */
export interface MatchedOperation {
  readonly operationId: string;
  /** Decoded path parameters. */
  readonly params: Record<string, string>;
}

type Schema = Record<string, any>;

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly regex: RegExp;
  readonly paramNames: string[];
  readonly parameters: Schema[];
  readonly requestBody?: Schema;
  readonly responses: Record<string, Schema>;
  readonly specId: string;
}

const ANNOTATIONS = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'nullable']);

/**
 * Converts an OpenAPI 3.0 schema to JSON Schema 2020-12 for ajv: `nullable` becomes a `null` type, vendor extensions
 * and examples go, and `$ref`s to discriminator bases inside the subtypes' `allOf` are pointed at the base without its
 * dispatch (see {@link convertComponents}). Objects that declare `properties` and no `additionalProperties` are closed
 * with `unevaluatedProperties: false` (unless they are an `allOf` member or a base, whose siblings add properties), so a
 * misspelt field fails the contract instead of being ignored.
 */
function convert(schema: unknown, bases: Set<string>, context: { inAllOf: boolean; isBase?: boolean }): unknown {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, bases, context));
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(s)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([k, v]) => [k, convert(v, bases, { inAllOf: false })]),
      );
    } else if (key === 'allOf') {
      out[key] = (value as Schema[]).map((member) => {
        const ref = member.$ref as string | undefined;
        const name = ref?.replace('#/components/schemas/', '');
        return name && bases.has(name)
          ? { $ref: `#/components/schemas/${name}__base` }
          : convert(member, bases, { inAllOf: true });
      });
    } else if (['items', 'additionalProperties', 'not', 'anyOf', 'oneOf'].includes(key)) {
      out[key] = convert(value, bases, { inAllOf: false });
    } else {
      out[key] = value;
    }
  }
  if (s.nullable === true && typeof s.type === 'string') out.type = [s.type, 'null'];
  if (s.properties && s.additionalProperties === undefined && !context.inAllOf && !context.isBase && !s.allOf) {
    out.unevaluatedProperties = false;
  }
  return out;
}

/**
 * Converts `components.schemas`. A schema with a `discriminator.mapping` is split: `<Name>__base` keeps its own keywords,
 * and `<Name>` becomes "the base, plus the mapped subtype chosen by the discriminator value", closed as a whole.
 */
function convertComponents(schemas: Record<string, Schema>): Record<string, unknown> {
  const bases = new Set(
    Object.entries(schemas)
      .filter(([, s]) => s.discriminator?.mapping)
      .map(([name]) => name),
  );
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!bases.has(name)) {
      out[name] = convert(schema, bases, { inAllOf: false });
      continue;
    }
    out[`${name}__base`] = convert(schema, bases, { inAllOf: false, isBase: true });
    const { propertyName, mapping } = schema.discriminator as { propertyName: string; mapping: Record<string, string> };
    out[name] = {
      $ref: `#/components/schemas/${name}__base`,
      allOf: Object.entries(mapping).map(([value, target]) => ({
        if: { properties: { [propertyName]: { const: value } }, required: [propertyName] },
        then: { $ref: target },
      })),
      unevaluatedProperties: false,
    };
  }
  return out;
}

function resolve(doc: Schema, node: Schema | undefined): Schema | undefined {
  let current = node;
  while (current?.$ref) {
    current = (current.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce((n: any, part: string) => n?.[part], doc);
  }
  return current;
}

/**
 * The request/response contract of a set of OpenAPI documents: finds the operation of a request and checks its path
 * parameters, query, content type and body against the spec, and checks response bodies too.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  private readonly operations: Operation[] = [];
  private readonly docs = new Map<string, Schema>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(sources: readonly SpecSource[]) {
    addFormats(this.ajv);
    for (const format of ['int32', 'int64', 'float', 'double', 'password']) this.ajv.addFormat(format, true);
    sources.forEach((source, i) => {
      const doc = parse(fs.readFileSync(source.file, 'utf8')) as Schema;
      const specId = `spec${i}`;
      this.docs.set(specId, doc);
      this.ajv.addSchema({ $id: specId, components: { schemas: convertComponents(doc.components?.schemas ?? {}) } });
      for (const [template, item] of Object.entries(doc.paths as Record<string, Schema>)) {
        const paramNames: string[] = [];
        const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
          paramNames.push(name);
          return '([^/]+)';
        });
        for (const method of ['get', 'put', 'post', 'delete', 'head']) {
          const op = item[method] as Schema | undefined;
          if (!op) continue;
          this.operations.push({
            operationId: op.operationId,
            method: method.toUpperCase(),
            regex: new RegExp(`^${source.basePath}${pattern}$`),
            paramNames,
            parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Schema) => resolve(doc, p)!),
            requestBody: resolve(doc, op.requestBody),
            responses: op.responses ?? {},
            specId,
          });
        }
      }
    });
  }

  /** The operation a request addresses, or undefined when no spec has it. */
  match(method: string, pathname: string): (MatchedOperation & { operation: Operation }) | undefined {
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const m = operation.regex.exec(pathname);
      if (!m) continue;
      const params = Object.fromEntries(operation.paramNames.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
      return { operationId: operation.operationId, params, operation };
    }
    return undefined;
  }

  /**
   * Every way the request breaks the spec (empty when it conforms): unknown operation, path or query parameters that do
   * not match their schemas, undeclared query parameters, a wrong content type, or a body that fails its schema.
   */
  checkRequest(
    method: string,
    url: URL,
    contentType: string | undefined,
    rawBody: string,
  ): { problems: string[]; matched?: MatchedOperation; body?: unknown } {
    const matched = this.match(method, url.pathname);
    if (!matched) return { problems: [`${method} ${url.pathname} is not an operation of the spec`] };
    const { operation } = matched;
    const problems: string[] = [];
    const where = `${operation.operationId} (${method} ${url.pathname})`;
    for (const p of operation.parameters.filter((p) => p.in === 'path')) {
      problems.push(
        ...this.validateValue(operation.specId, p.schema, matched.params[p.name], `${where} path parameter ${p.name}`),
      );
    }
    const declaredQuery = new Map(
      operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name as string, p]),
    );
    for (const [name, value] of url.searchParams) {
      const p = declaredQuery.get(name);
      if (!p) problems.push(`${where} has undeclared query parameter ${name}`);
      else
        problems.push(
          ...this.validateValue(
            operation.specId,
            p.schema,
            coerce(p.schema, value),
            `${where} query parameter ${name}`,
          ),
        );
    }

    let body: unknown;
    const content = operation.requestBody?.content as Record<string, Schema> | undefined;
    if (rawBody.length === 0) {
      if (operation.requestBody?.required) problems.push(`${where} requires a body`);
    } else if (!content) {
      problems.push(`${where} takes no body`);
    } else {
      const type = (contentType ?? '').split(';')[0].trim();
      const media = content[type];
      if (!media) {
        problems.push(
          `${where} body has content type ${JSON.stringify(type)}; the spec allows ${Object.keys(content).join(', ')}`,
        );
      } else {
        try {
          body =
            type === 'application/x-www-form-urlencoded'
              ? Object.fromEntries(new URLSearchParams(rawBody))
              : JSON.parse(rawBody);
          problems.push(...this.validateValue(operation.specId, media.schema, body, `${where} body`));
        } catch (error) {
          problems.push(`${where} body is not ${type}: ${(error as Error).message}`);
        }
      }
    }
    return { problems, matched, body };
  }

  /** Every way a response breaks the spec of the operation (an undeclared status, or a body failing its schema). */
  checkResponse(operationId: string, status: number, body: unknown): string[] {
    const operation = this.operations.find((o) => o.operationId === operationId)!;
    const doc = this.docs.get(operation.specId)!;
    const declared =
      operation.responses[String(status)] ??
      operation.responses[`${String(status)[0]}XX`] ??
      operation.responses.default;
    if (!declared) return [`${operationId} does not declare status ${status}`];
    const schema = resolve(doc, declared)?.content?.['application/json']?.schema;
    return schema ? this.validateValue(operation.specId, schema, body, `${operationId} ${status} response`) : [];
  }

  private validateValue(specId: string, schema: Schema | undefined, value: unknown, where: string): string[] {
    if (!schema) return [];
    const key = `${specId}:${JSON.stringify(schema)}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const converted = schema.$ref
        ? { $ref: `${specId}${schema.$ref}` }
        : {
            $id: `${specId}-inline-${this.validators.size}`,
            ...(convert(schema, new Set(), { inAllOf: false }) as Schema),
          };
      validate = this.ajv.compile(converted);
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  }
}

/** Query values arrive as strings; booleans and integers are compared as the spec types them. */
function coerce(schema: Schema | undefined, value: string): unknown {
  if (schema?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (schema?.type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  return value;
}
