import { cidrContains, parseCidr } from './cidr';

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Why `host` is not a bare host name or IP address (the scheme and port are keys of their own), or undefined. */
export function clickHouseHostProblem(host: string): string | undefined {
  if (HOST_NAME.test(host)) return undefined;
  const hint = /^[a-z]+:\/\//i.test(host) ? ' (it is a URL: the scheme goes in protocol, the port in port)' : '';
  return `a host name or IP address such as clickhouse.example.internal, without scheme, port or path${hint}`;
}

/**
 * Why a ClickHouse CIDR opens more than the ClickHouse hosts, or undefined: egress to 0.0.0.0/0, or to a block holding
 * the whole VPC, would let every offload pod reach every node and pod on the ClickHouse port.
 */
export function clickHouseCidrProblem(cidr: string, vpcCidr?: string): string | undefined {
  const block = parseCidr(cidr);
  if (block === undefined) return undefined;
  if (block.prefix === 0) return 'the block of the ClickHouse hosts, not /0 (that opens the port to every address)';
  if (vpcCidr !== undefined && cidrContains(block, vpcCidr))
    return `a block narrower than the whole VPC (network.vpcCidr ${vpcCidr}): list the ClickHouse hosts' addresses`;
  return undefined;
}
