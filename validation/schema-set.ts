import { sharedDataDir } from '../config';
import { CustomResourceSchemas, loadCustomResources } from './custom-resources';
import { KUBERNETES_SCHEMA_SOURCES, KubernetesSchema, loadKubernetesSchema } from './kubernetes-schema';

/** Where the pinned data is read from (defaults: `sharedDataDir('schemas')` and `sharedDataDir('crds')`). */
export interface SchemaDirectories {
  readonly schemas: string;
  readonly crds: string;
}

/**
 * Every schema an object can be checked against: each Kubernetes version, then the CRDs. Everything loads on first
 * use and each validator compiles on first use, so a process that never sees a SparkApplication never compiles its CRD.
 */
export class SchemaSet {
  private loadedKubernetes?: readonly KubernetesSchema[];
  private loadedCustomResources?: CustomResourceSchemas;

  constructor(readonly directories: SchemaDirectories) {}

  /** One schema per version in {@link KUBERNETES_SCHEMA_SOURCES}. */
  get kubernetes(): readonly KubernetesSchema[] {
    this.loadedKubernetes ??= KUBERNETES_SCHEMA_SOURCES.map((source) =>
      loadKubernetesSchema(this.directories.schemas, source),
    );
    return this.loadedKubernetes;
  }

  get customResources(): CustomResourceSchemas {
    this.loadedCustomResources ??= loadCustomResources(this.directories.crds);
    return this.loadedCustomResources;
  }

  /** True when some Kubernetes version serves the kind natively (the CRDs are then not consulted). */
  isNative(apiVersion: string, kind: string): boolean {
    return this.kubernetes.some((schema) => schema.definitionOf(apiVersion, kind) !== undefined);
  }

  /** Whether a kind is namespaced, from the first schema that serves it; undefined when none does. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    for (const schema of this.kubernetes) {
      const namespaced = schema.isNamespaced(apiVersion, kind);
      if (namespaced !== undefined) return namespaced;
    }
    return this.customResources.isNamespaced(apiVersion, kind);
  }
}

const cache = new Map<string, SchemaSet>();

/** The process-wide schema set for the given (default: configured) folders, so validators compile once per process. */
export function sharedSchemaSet(
  directories: SchemaDirectories = { schemas: sharedDataDir('schemas'), crds: sharedDataDir('crds') },
): SchemaSet {
  const key = JSON.stringify([directories.schemas, directories.crds]);
  let set = cache.get(key);
  if (set === undefined) {
    set = new SchemaSet(directories);
    cache.set(key, set);
  }
  return set;
}
