// Runs synthesized ValidatingAdmissionPolicies against admission requests. The CEL is evaluated by @bufbuild/cel, an
// implementation tested against the cel-spec conformance suite; the policies use standard CEL only (no Kubernetes
// library functions), so its results are those the API server's cel-go gives. Around it, this file walks the steps
// the API server takes for admissionregistration.k8s.io/v1 (KEP-3488): bindings select by namespace labels,
// `matchConstraints` by resource and operation, then every `matchConditions` entry must hold, `variables` are computed
// in order, and each `validations` expression must be true or the request is denied with its message.
import { isCelError, run } from '@bufbuild/cel';
import type { CelInput } from '@bufbuild/cel';

/** A synthesized object. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: unknown;
}

/** What the API server hands an admission policy. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** Plural resource name, e.g. `pods`. */
  readonly resource: string;
  readonly namespace: string;
  readonly userInfo: {
    readonly username: string;
    readonly groups?: readonly string[];
    readonly extra?: Readonly<Record<string, readonly string[]>>;
  };
  readonly object?: unknown;
  readonly oldObject?: unknown;
}

/** The outcome: allowed, or denied with each failed validation's message (and any evaluation error). */
export interface AdmissionResult {
  readonly allowed: boolean;
  readonly messages: readonly string[];
}

/** JSON as CEL values: objects become maps, whole numbers ints. */
function toCel(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'object')
    return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toCel(v)]));
  return value as CelInput;
}

function evaluate(expression: string, bindings: Record<string, CelInput>): unknown {
  const result = run(expression, bindings);
  if (isCelError(result)) throw new Error(`CEL error in ${expression}: ${String(result)}`);
  return result;
}

/** Evaluates every policy whose binding selects the request, as the API server would. */
export function admit(manifests: readonly ManifestObject[], request: AdmissionRequest): AdmissionResult {
  const policies = new Map(
    manifests
      .filter((m) => m.kind === 'ValidatingAdmissionPolicy' && m.apiVersion === 'admissionregistration.k8s.io/v1')
      .map((m) => [m.metadata.name, m]),
  );
  const messages: string[] = [];
  for (const binding of manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding')) {
    const spec = binding.spec as any;
    const selector: Record<string, string> = spec.matchResources?.namespaceSelector?.matchLabels ?? {};
    const namespaceLabels: Record<string, string> = { 'kubernetes.io/metadata.name': request.namespace };
    if (!Object.entries(selector).every(([k, v]) => namespaceLabels[k] === v)) continue;
    const policy = policies.get(spec.policyName);
    if (!policy) throw new Error(`binding ${binding.metadata.name} names no policy`);
    const p = policy.spec as any;
    const matches = (p.matchConstraints.resourceRules as any[]).some(
      (r) => r.resources.includes(request.resource) && r.operations.includes(request.operation),
    );
    if (!matches) continue;
    const bindings: Record<string, CelInput> = {
      object: toCel(request.object),
      oldObject: toCel(request.oldObject),
      request: toCel({
        operation: request.operation,
        namespace: request.namespace,
        userInfo: { groups: [], ...request.userInfo },
      }),
    };
    if (!(p.matchConditions ?? []).every((c: any) => evaluate(c.expression, bindings) === true)) continue;
    const variables = new Map<string, CelInput>();
    for (const v of p.variables ?? []) {
      variables.set(v.name, evaluate(v.expression, { ...bindings, variables: variables }) as CelInput);
    }
    for (const validation of p.validations) {
      if (evaluate(validation.expression, { ...bindings, variables }) !== true)
        messages.push(`${policy.metadata.name}: ${validation.message}`);
    }
    if (!spec.validationActions.includes('Deny')) messages.length = 0;
  }
  return { allowed: messages.length === 0, messages };
}
