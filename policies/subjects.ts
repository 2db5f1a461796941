import type { KubeObject } from '../stacks/k8s/render';
import type { AwsResource } from './aws-rules';

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
  const { props } = resource;
  const isObject = resource.type.startsWith('kubernetes:') && typeof props.kind === 'string' && typeof props.metadata === 'object';
  return isObject ? (props as KubeObject) : undefined;
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
