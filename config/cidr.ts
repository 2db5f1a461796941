import { BlockList, isIP } from 'net';

/** A parsed CIDR block. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/**
 * Parses `address/prefix` like Go's `net.ParseCIDR`, which is what the API server applies to NetworkPolicy blocks:
 * host bits may be set (see {@link hasHostBits} for the places that refuse them). Undefined when it is not a CIDR.
 */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/]+)\/([0-9]{1,3})$/.exec(text);
  if (match === null) return undefined;
  const version = isIP(match[1]);
  const prefix = Number(match[2]);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address: match[1], prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** The address of an IPv4 block as an unsigned 32-bit number. */
export function ipv4Number(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** True when an IPv4 block's address has bits set below its prefix (`10.20.1.0/16`); AWS refuses such a VPC. */
export function hasHostBits(cidr: Cidr): boolean {
  return cidr.family === 'ipv4' && ipv4Number(cidr.address) % 2 ** (32 - cidr.prefix) !== 0;
}

/** True when `inner` lies inside `outer` (equal blocks included); false when either is not a CIDR. */
export function cidrContains(outerBlock: Cidr | string, innerBlock: Cidr | string): boolean {
  const [outer, inner] = [outerBlock, innerBlock].map((c) => (typeof c === 'string' ? parseCidr(c) : c));
  if (outer === undefined || inner === undefined) return false;
  if (inner.family !== outer.family || inner.prefix < outer.prefix) return false;
  const block = new BlockList();
  block.addSubnet(outer.address, outer.prefix, outer.family);
  return block.check(inner.address, inner.family);
}

/** True when `inner` lies inside `outer` and is strictly smaller (what NetworkPolicy `except` entries must be). */
export function isStrictSubset(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix > outer.prefix && cidrContains(outer, inner);
}

/** Smallest and largest VPC the subnet layout supports: AWS allows /16-/28, the layout needs room for its subnets. */
export const VPC_PREFIX = { min: 16, max: 20 } as const;

/** Why `text` cannot be the VPC's CIDR block, or undefined when it can. */
export function vpcCidrProblem(text: string): string | undefined {
  const cidr = parseCidr(text);
  const expected = `an IPv4 CIDR block without host bits, between /${VPC_PREFIX.min} and /${VPC_PREFIX.max}, such as 10.0.0.0/16`;
  if (cidr === undefined || cidr.family !== 'ipv4') return expected;
  if (hasHostBits(cidr)) {
    const base = ipv4Number(cidr.address) - (ipv4Number(cidr.address) % 2 ** (32 - cidr.prefix));
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${expected} (host bits are set: did you mean ${octets.join('.')}/${cidr.prefix}?)`;
  }
  if (cidr.prefix < VPC_PREFIX.min || cidr.prefix > VPC_PREFIX.max) return expected;
  return undefined;
}
