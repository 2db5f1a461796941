import { k8s } from 'cdk8s-plus-28';
import { ContainerResources } from '../../config';

/** A container's requests and limits as the Kubernetes API types them. */
export function kubeResources(resources: ContainerResources): k8s.ResourceRequirements {
  const amounts = (a: ContainerResources['requests']) => ({
    cpu: k8s.Quantity.fromString(a.cpu),
    memory: k8s.Quantity.fromString(a.memory),
  });
  return { requests: amounts(resources.requests), limits: amounts(resources.limits) };
}
