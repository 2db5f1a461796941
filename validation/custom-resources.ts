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
  private readonly kinds = new Map<string, ServedKind>();

  /**
   * @param files - the text of each CRD file; a file is parsed (hundreds of milliseconds for Spark's) only when an
   *   object's kind is named in it, so output without SparkConnects never parses that CRD
   */
  constructor(private readonly files: { text: string; parsed?: boolean }[]) {}

  /** True when a CRD serves `apiVersion`/`kind`. */
  serves(apiVersion: string, kind: string): boolean {
    return this.lookup(apiVersion, kind) !== undefined;
  }

  /** Whether a served kind is namespaced; undefined when no CRD serves it. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    return this.lookup(apiVersion, kind)?.namespaced;
  }

  /** Validates an object of a served kind. The CRD schema is compiled on first use (about a second for Spark's). */
  validate(apiVersion: string, kind: string, value: unknown): ErrorObject[] {
    const served = this.lookup(apiVersion, kind);
    if (served === undefined) throw new Error(`no CRD serves ${kindKey(apiVersion, kind)}`);
    served.validator ??= this.ajv.compile(structuralSchema(structuredClone(served.schema)));
    return served.validator(value) ? [] : [...(served.validator.errors ?? [])];
  }

  private lookup(apiVersion: string, kind: string): ServedKind | undefined {
    for (const file of this.files) {
      if (file.parsed || !file.text.includes(`kind: ${kind}`)) continue;
      file.parsed = true;
      for (const document of parseAllDocuments(file.text)) {
        const crd = document.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions ?? []) {
          if (!version.served) continue;
          this.kinds.set(kindKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind), {
            namespaced: crd.spec.scope === 'Namespaced',
            schema: version.schema.openAPIV3Schema,
          });
        }
      }
    }
    return this.kinds.get(kindKey(apiVersion, kind));
  }
}

/** Reads every CustomResourceDefinition file (`*.yaml`) of `crdsDir`; each is parsed when first needed. */
export function loadCustomResources(crdsDir: string): CustomResourceSchemas {
  if (!fs.existsSync(crdsDir)) throw new SchemaDataError('Custom resource definitions', crdsDir, 'DATAPLANE_CRDS_DIR');
  const files = fs
    .readdirSync(crdsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ text: fs.readFileSync(path.join(crdsDir, name), 'utf8') }));
  return new CustomResourceSchemas(files);
}
