/**
 * The Pulumi policy pack: `pulumi preview --policy-pack policies`. Each plain rule becomes a ResourceValidationPolicy or
 * a StackValidationPolicy. Constructing the pack starts the policy gRPC server, so nothing else may import this file.
 */
import { PolicyPack, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { AWS_RULES } from './aws-rules';
import { KUBERNETES_RULES } from './kubernetes-rules';
import { Rule } from './rule';
import { awsResourceOf, EngineResource, kubeObjectOf } from './subjects';

function toPolicy<T extends object>(rule: Rule<T>, subjectOf: (r: EngineResource) => T | undefined): ResourceValidationPolicy | StackValidationPolicy {
  const { name, description, enforcementLevel } = rule;
  if (rule.scope === 'resource') {
    return {
      name,
      description,
      enforcementLevel,
      validateResource: (args, report: ReportViolation) => {
        const subject = subjectOf(args);
        if (subject) rule.check(subject).forEach((v) => report(v.message));
      },
    };
  }
  return {
    name,
    description,
    enforcementLevel,
    validateStack: (args, report: ReportViolation) => {
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

new PolicyPack('spark-iceberg-data-plane', {
  policies: [
    ...KUBERNETES_RULES.map((rule) => toPolicy(rule, kubeObjectOf)),
    ...AWS_RULES.map((rule) => toPolicy(rule, awsResourceOf)),
  ],
});
