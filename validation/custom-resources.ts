import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { createAjv } from './ajv-setup';
import { kindKey } from './kubernetes-schema';
import { SchemaDataError } from './schema-data-error';
import { SchemaNode, structuralSchema } from './schema-transform';

interface ServedKind {
  readonly namespaced: boolean;
  /** The version's `openAPIV3Schema` as read; transformed and compiled on first use. */
  readonly schema: SchemaNode;
  validator?: ValidateFunction;
}

/** The kinds served by the CustomResourceDefinitions in a folder, validated with structural-schema semantics. */
export class CustomResourceSchemas {
  private readonly ajv: Ajv = createAjv();

  constructor(private readonly kinds: ReadonlyMap<string, ServedKind>) {}

  /** True when a CRD serves `apiVersion`/`kind`. */
  serves(apiVersion: string, kind: string): boolean {
    return this.kinds.has(kindKey(apiVersion, kind));
  }

  /** Whether a served kind is namespaced; undefined when no CRD serves it. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    return this.kinds.get(kindKey(apiVersion, kind))?.namespaced;
  }

  /** Validates an object of a served kind. The CRD schema is compiled on first use (about a second for Spark's). */
  validate(apiVersion: string, kind: string, value: unknown): ErrorObject[] {
    const served = this.kinds.get(kindKey(apiVersion, kind));
    if (served === undefined) throw new Error(`no CRD serves ${kindKey(apiVersion, kind)}`);
    served.validator ??= this.ajv.compile(structuralSchema(structuredClone(served.schema)));
    return served.validator(value) ? [] : [...(served.validator.errors ?? [])];
  }
}

/** Reads every CustomResourceDefinition in the `*.yaml` files of `crdsDir`. */
export function loadCustomResources(crdsDir: string): CustomResourceSchemas {
  if (!fs.existsSync(crdsDir)) throw new SchemaDataError('Custom resource definitions', crdsDir, 'DATAPLANE_CRDS_DIR');
  const kinds = new Map<string, ServedKind>();
  for (const file of fs
    .readdirSync(crdsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()) {
    for (const document of parseAllDocuments(fs.readFileSync(path.join(crdsDir, file), 'utf8'))) {
      const crd = document.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions ?? []) {
        if (!version.served) continue;
        kinds.set(kindKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind), {
          namespaced: crd.spec.scope === 'Namespaced',
          schema: version.schema.openAPIV3Schema,
        });
      }
    }
  }
  return new CustomResourceSchemas(kinds);
}
