/** A Kubernetes object as synthesized (plain JSON); the stacks render it, the policies and the validator read it. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};
