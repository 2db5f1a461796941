import * as pulumi from '@pulumi/pulumi';

type DependsOn = pulumi.ComponentResourceOptions['dependsOn'];

/** `dependsOn` extended with more resources, whatever form (single, list, output) the original takes. */
export function withDependencies(
  dependsOn: DependsOn,
  ...after: pulumi.Resource[]
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  if (dependsOn === undefined) return after;
  if (Array.isArray(dependsOn)) return [...dependsOn, ...after];
  if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn, ...after];
  return pulumi.output(dependsOn as pulumi.Input<pulumi.Resource[]>).apply((list) => [...list, ...after]);
}

/**
 * Options of a component's child: parented to the component (so it inherits its providers) and waiting for whatever the
 * component was told to wait for, plus `after`. Pulumi does not pass a component's `dependsOn` on to its children, and it
 * is the children that the engine orders.
 */
export function childOptions(
  parent: pulumi.Resource,
  opts: pulumi.ComponentResourceOptions | undefined,
  ...after: pulumi.Resource[]
): pulumi.CustomResourceOptions {
  return { parent, dependsOn: withDependencies(opts?.dependsOn, ...after) };
}
