import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { VERSIONS } from '../config';
import { createAjv } from './ajv-setup';
import { SchemaDataError } from './schema-data-error';
import { SchemaNode, strictDefinitions } from './schema-transform';

/** Where one Kubernetes version's OpenAPI data lives under the schemas folder, and in which format. */
export interface KubernetesSchemaSource {
  readonly version: string;
  readonly format: 'openapi-v2' | 'openapi-v3';
  /** Relative to the schemas folder: the swagger file (v2) or the folder of per-group-version files (v3). */
  readonly path: string;
}

/**
 * The versions every object must satisfy: the 1.28 API cdk8s-plus-28 is typed for (the document a real v1.28.0
 * server serves, with enums) and the cluster version the stacks deploy (upstream v3 files, no enums).
 */
export const KUBERNETES_SCHEMA_SOURCES: readonly KubernetesSchemaSource[] = [
  {
    version: VERSIONS.kubernetes.apiFloor,
    format: 'openapi-v2',
    path: `k8s-v${VERSIONS.kubernetes.apiFloor}/openapi-v2/kube-apiserver-v${VERSIONS.kubernetes.apiFloor}.0-swagger.json`,
  },
  {
    version: VERSIONS.kubernetes.cluster,
    format: 'openapi-v3',
    path: `k8s-v${VERSIONS.kubernetes.cluster}/openapi-v3`,
  },
];

interface OpenApiData {
  readonly definitions: Record<string, SchemaNode>;
  readonly paths: Record<string, Record<string, SchemaNode>>;
}

interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** `apps/v1 Deployment`, the key kinds are looked up by. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

function gvkKey({ group, version, kind }: GroupVersionKind): string {
  return kindKey(group ? `${group}/${version}` : version, kind);
}

/** The native API of one Kubernetes version: which kinds it serves, their scope, and strict validators. */
export class KubernetesSchema {
  private readonly ajv: Ajv;
  private readonly schemaId: string;
  private readonly definitionsByKind = new Map<string, string>();
  private readonly namespacedKinds = new Set<string>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly version: string,
    data: OpenApiData,
  ) {
    for (const [name, definition] of Object.entries(data.definitions)) {
      for (const gvk of (definition['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[]) {
        this.definitionsByKind.set(gvkKey(gvk), name);
      }
    }
    // A kind is namespaced when it is created under /namespaces/{namespace}/.
    for (const [route, operations] of Object.entries(data.paths)) {
      const gvk = operations.post?.['x-kubernetes-group-version-kind'] as GroupVersionKind | undefined;
      if (gvk && route.includes('/namespaces/{namespace}/')) this.namespacedKinds.add(gvkKey(gvk));
    }
    this.schemaId = `kubernetes-${version}`;
    this.ajv = createAjv();
    this.ajv.addSchema({ $id: this.schemaId, definitions: strictDefinitions(data.definitions) });
  }

  /** The definition describing `apiVersion`/`kind`, or undefined when this version does not serve it. */
  definitionOf(apiVersion: string, kind: string): string | undefined {
    return this.definitionsByKind.get(kindKey(apiVersion, kind));
  }

  /** Whether a served kind is namespaced; undefined when this version does not serve it. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    if (this.definitionOf(apiVersion, kind) === undefined) return undefined;
    return this.namespacedKinds.has(kindKey(apiVersion, kind));
  }

  /** Validates `value` against a definition (by name); each definition is compiled once, on first use. */
  validate(definition: string, value: unknown): ErrorObject[] {
    let validator = this.validators.get(definition);
    if (validator === undefined) {
      validator = this.ajv.compile({ $ref: `${this.schemaId}#/definitions/${definition}` });
      this.validators.set(definition, validator);
    }
    return validator(value) ? [] : [...(validator.errors ?? [])];
  }
}

/** Reads one version's OpenAPI data from the schemas folder. */
export function loadKubernetesSchema(schemasDir: string, source: KubernetesSchemaSource): KubernetesSchema {
  const location = path.join(schemasDir, source.path);
  if (!fs.existsSync(location)) throw new SchemaDataError('Kubernetes schema data', location, 'DATAPLANE_SCHEMAS_DIR');
  return new KubernetesSchema(
    source.version,
    source.format === 'openapi-v2' ? readSwagger(location) : readOpenApiV3(location),
  );
}

function readSwagger(file: string): OpenApiData {
  const document = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { definitions: document.definitions, paths: document.paths };
}

/** Merges the per-group-version files (`api/v1.json`, `apis/<group>/<version>.json`); shared definitions are identical. */
function readOpenApiV3(dir: string): OpenApiData {
  const definitions: Record<string, SchemaNode> = {};
  const paths: Record<string, Record<string, SchemaNode>> = {};
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json'));
  for (const file of files.sort()) {
    const document = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    Object.assign(definitions, document.components?.schemas);
    Object.assign(paths, document.paths);
  }
  return { definitions, paths };
}
