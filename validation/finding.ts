import { show } from '../config';
import { keyPathText } from '../config/key-path';
import { FieldPath } from './field-path';
import { asObject, asString, JsonObject } from './object-access';
import type { SchemaSet } from './schema-set';

/** One object read from a manifest file (or synthesized in memory), with where it came from. */
export interface ManifestObject {
  /** The file it was read from, or the file its chart is written to. */
  readonly file: string;
  /** Position of its YAML document in the file, counting from 1. */
  readonly document: number;
  /** The object as parsed: any shape, since it is what is being checked. */
  readonly object: JsonObject;
}

/** One reason the API server (or an admission rule) would reject an object. */
export interface Finding {
  readonly file: string;
  /** Position of the YAML document in the file, counting from 1. */
  readonly document: number;
  /** Absent when the document is not an object. */
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** The offending field (`spec.template.spec.containers[0].image`); empty for the whole object or document. */
  readonly path: string;
  readonly message: string;
}

/** What a check may know beyond the objects themselves. */
export interface CheckContext {
  /** The environment whose objects are checked (the `dist/<env>` folder name). */
  readonly environment: string;
  /** The Kubernetes schemas and CRDs, e.g. for `schemas.isNamespaced(apiVersion, kind)`. */
  readonly schemas: SchemaSet;
}

/**
 * A rule over every object of one environment. Object-level rules look at one object at a time (see
 * {@link perObject}); environment-level rules compare objects with each other.
 */
export type ManifestCheck = (objects: readonly ManifestObject[], context: CheckContext) => Finding[];

/** Makes a {@link ManifestCheck} from a rule that looks at one object at a time. */
export function perObject(rule: (target: ManifestObject, context: CheckContext) => Finding[]): ManifestCheck {
  return (objects, context) => objects.flatMap((target) => rule(target, context));
}

/** A problem at a path inside some value; rules build these and turn them into findings with {@link toFindings}. */
export interface Problem {
  readonly path: FieldPath;
  readonly message: string;
}

/** Problems with `value` at `path`, one per message from a name/format validator (see names.ts). */
export function invalid(path: FieldPath, value: unknown, messages: readonly string[]): Problem[] {
  return messages.map((message) => ({ path, message: `invalid value ${show(value)}: ${message}` }));
}

/** Findings about `target` for problems located inside it. */
export function toFindings(target: ManifestObject, problems: readonly Problem[]): Finding[] {
  return problems.map((problem) => finding(target, problem.path, problem.message));
}

/** A finding about `target` at `path`. */
export function finding(target: ManifestObject, path: FieldPath, message: string): Finding {
  const metadata = asObject(target.object.metadata);
  return {
    file: target.file,
    document: target.document,
    kind: asString(target.object.kind) ?? '(no kind)',
    namespace: asString(metadata?.namespace),
    name: asString(metadata?.name) ?? '(no name)',
    path: keyPathText(path),
    message,
  };
}

/** `file: Kind namespace/name: path: message`, the one-line form the CLI prints. */
export function formatFinding(f: Finding): string {
  const subject =
    f.kind === undefined ? `document ${f.document}` : `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
  return `${f.file}: ${subject}: ${f.path ? `${f.path}: ` : ''}${f.message}`;
}

/** Orders findings by file, document, then path, so output is stable whatever order the checks ran in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.document - b.document ||
    a.path.localeCompare(b.path) ||
    a.message.localeCompare(b.message)
  );
}
