import * as pulumi from '@pulumi/pulumi';
import { EnvironmentConfig } from '../../config';

/** How stateful resources (the warehouse and its key, the catalog database) are guarded against deletion. */
export interface ResourceProtection {
  /** Pulumi refuses to delete the resource (`protect`), and leaves it in AWS if it leaves the stack (`retainOnDelete`). */
  readonly protect: boolean;
  /** The AWS-side flag (RDS and EKS deletion protection) and a final snapshot before a database goes. */
  readonly deletionProtection: boolean;
}

/** The protection an environment asks for (`aws.deletionProtection`, true in prod). */
export function protectionFor(env: EnvironmentConfig): ResourceProtection {
  return { protect: env.aws.deletionProtection, deletionProtection: env.aws.deletionProtection };
}

/** No protection: the default for components built outside an environment (tests, scratch stacks). */
export const UNPROTECTED: ResourceProtection = { protect: false, deletionProtection: false };

/** The resource options a protected resource is created with. */
export function statefulResourceOptions(
  protection: ResourceProtection,
): Pick<pulumi.CustomResourceOptions, 'protect' | 'retainOnDelete'> {
  return { protect: protection.protect, retainOnDelete: protection.protect };
}
