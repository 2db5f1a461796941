import { z } from 'zod';
import { cidr } from './common';

/** The VPC the cluster runs in. */
export const NetworkSchema = z.strictObject({
  /** The VPC's IPv4 CIDR block; network policies use it to reach the EKS API endpoint and VPC endpoints. */
  vpcCidr: cidr,
  /** Availability zones to spread subnets over (2 in dev, 3 in prod). */
  availabilityZones: z.number().int().min(2, 'at least 2 availability zones').max(3, 'at most 3 availability zones'),
});
