/** The bridge between the plain rules and the Pulumi policy engine (used by pack.ts, tested without starting a server). */
import type { KubeObject } from '../config/kube-object';
import { AWS_RULES, AwsResource } from './aws-rules';
import { isKubeObject, KUBERNETES_RULES } from './kubernetes-rules';
import { EnforcementLevel, Rule } from './rule';

/**
 * The part of a resource the policy engine passes to a policy (`ResourceValidationArgs` or a stack's `PolicyResource`),
 * declared structurally so the library does not depend on @pulumi/policy.
 */
export interface EngineResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, any>;
  readonly propertyDependencies?: Record<string, readonly { readonly urn: string }[]>;
}

/**
 * The Kubernetes object a Pulumi resource stands for: the children of a ConfigGroup or a helm.v4 Chart carry the whole
 * object (apiVersion, kind, metadata, spec…) as props. Groups, charts and releases themselves have no `kind` and are skipped.
 */
export function kubeObjectOf(resource: EngineResource): KubeObject | undefined {
  return resource.type.startsWith('kubernetes:') && isKubeObject(resource.props) ? resource.props : undefined;
}

/** The AWS resource a policy engine resource stands for, with its property dependencies reduced to URNs. */
export function awsResourceOf(resource: EngineResource): AwsResource | undefined {
  if (!resource.type.startsWith('aws:')) return undefined;
  const deps = resource.propertyDependencies ?? {};
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: resource.props,
    propertyDependencies: Object.fromEntries(Object.entries(deps).map(([prop, rs]) => [prop, rs.map((r) => r.urn)])),
  };
}

/** How a policy reports a violation: the message, and the URN of the resource it is about (stack policies). */
export type ReportViolation = (message: string, urn?: string) => void;

interface EnginePolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
}

/** Structurally a @pulumi/policy ResourceValidationPolicy. */
export interface EngineResourcePolicy extends EnginePolicyInfo {
  validateResource(args: EngineResource, report: ReportViolation): void;
}

/** Structurally a @pulumi/policy StackValidationPolicy. */
export interface EngineStackPolicy extends EnginePolicyInfo {
  validateStack(args: { readonly resources: readonly EngineResource[] }, report: ReportViolation): void;
}

/** One rule as a policy of the engine; `subjectOf` picks and converts the resources the rule is about. */
export function toEnginePolicy<T extends object>(
  rule: Rule<T>,
  subjectOf: (r: EngineResource) => T | undefined,
): EngineResourcePolicy | EngineStackPolicy {
  const { name, description, enforcementLevel } = rule;
  if (rule.scope === 'resource') {
    return {
      name,
      description,
      enforcementLevel,
      validateResource: (args, report) => {
        const subject = subjectOf(args);
        if (subject) rule.check(subject).forEach((v) => report(v.message));
      },
    };
  }
  return {
    name,
    description,
    enforcementLevel,
    validateStack: (args, report) => {
      // Remember each subject's URN so a violation is attached to the resource it names.
      const urns = new Map<T, string>();
      for (const resource of args.resources) {
        const subject = subjectOf(resource);
        if (subject) urns.set(subject, resource.urn);
      }
      rule.check([...urns.keys()]).forEach((v) => report(v.message, urns.get(v.subject)));
    },
  };
}

/** Every rule as a policy of the engine: what `pack.ts` hands to `new PolicyPack(...)`. */
export function enginePolicies(): (EngineResourcePolicy | EngineStackPolicy)[] {
  return [
    ...KUBERNETES_RULES.map((rule) => toEnginePolicy(rule, kubeObjectOf)),
    ...AWS_RULES.map((rule) => toEnginePolicy(rule, awsResourceOf)),
  ];
}
