import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { sharedDataDir } from '../../config';

const KINDS = { SparkApplication: 'sparkapplications', ScheduledSparkApplication: 'scheduledsparkapplications' } as const;
const compiled = new Map<string, ValidateFunction>();

/** Drops `type` where the CRD also says int-or-string, which JSON Schema cannot express otherwise. */
function intOrString(node: any): any {
  if (node && typeof node === 'object') {
    if (node['x-kubernetes-int-or-string']) delete node.type;
    Object.values(node).forEach(intOrString);
  }
  return node;
}

/** Schema errors of a SparkApplication or ScheduledSparkApplication against the vendored Spark Operator CRD. */
export function crdErrors(object: { kind: string }): string[] {
  const plural = KINDS[object.kind as keyof typeof KINDS];
  if (!plural) throw new Error(`no CRD for ${object.kind}`);
  let validate = compiled.get(plural);
  if (!validate) {
    const crd = parse(fs.readFileSync(path.join(sharedDataDir('crds'), `sparkoperator.k8s.io_${plural}.yaml`), 'utf8'));
    const schema = intOrString(crd.spec.versions[0].schema.openAPIV3Schema);
    validate = new Ajv({ strict: false, allErrors: true, logger: false }).compile(schema);
    compiled.set(plural, validate);
  }
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
