/** IPv4 CIDR arithmetic for the subnet layout (plain functions, no Pulumi); parsing is the config's. */
import { hasHostBits, ipv4Number, parseCidr } from '../../config';

/** A parsed IPv4 block. */
export interface Ipv4Block {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

/** Parses an IPv4 `a.b.c.d/n`; throws on anything else or when host bits are set (the schema reports both first). */
export function parseIpv4Block(text: string): Ipv4Block {
  const cidr = parseCidr(text);
  if (cidr === undefined || cidr.family !== 'ipv4') throw new Error(`not an IPv4 CIDR block: ${JSON.stringify(text)}`);
  if (hasHostBits(cidr)) throw new Error(`${text} has host bits set`);
  return { base: ipv4Number(cidr.address), prefix: cidr.prefix };
}

/** Formats a block back to `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.prefix}`;
}

/** The `index`-th sub-block with `newBits` more prefix bits (Terraform's `cidrsubnet`). */
export function subnetOf(parent: Ipv4Block, newBits: number, index: number): Ipv4Block {
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits)
    throw new Error(`no sub-block ${index} of /${parent.prefix} at /${prefix}`);
  return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

/** Subnet blocks per availability zone, index i belonging to AZ i. */
export interface SubnetLayout {
  readonly public: readonly string[];
  readonly private: readonly string[];
}

/**
 * Splits the VPC into quarters: AZ i gets quarter i as its private subnet (nodes and pods take VPC addresses, so they get
 * the room), and the last quarter is cut in eight for small public subnets (NAT gateways and load balancers only).
 * Supports up to 3 AZs.
 */
export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
  const vpc = parseIpv4Block(vpcCidr);
  const publicQuarter = subnetOf(vpc, 2, 3);
  const azs = Array.from({ length: azCount }, (_, i) => i);
  return {
    private: azs.map((i) => formatCidr(subnetOf(vpc, 2, i))),
    public: azs.map((i) => formatCidr(subnetOf(publicQuarter, 3, i))),
  };
}
