import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/**
 * Allows all traffic of kube-system pods (CoreDNS, the EBS CSI controller, Karpenter), created before any of them. The
 * VPC CNI runs in strict mode, which denies every pod no NetworkPolicy selects; kube-system holds the EKS add-ons,
 * whose traffic this package does not narrow, so it gets an explicit allow-all rather than an accidental deny.
 */
export function kubeSystemNetworkPolicy(
  name: string,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name: 'allow-all', namespace: 'kube-system' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
    },
    opts,
  );
}
