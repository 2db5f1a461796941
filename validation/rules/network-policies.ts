import { isStrictSubset, parseCidr, show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { labelSelectorProblems } from '../labels';
import { portNumber, portNumberOrName } from '../names';
import { asArray, asObject, JsonObject } from '../object-access';

const POLICY_TYPES = ['Ingress', 'Egress'];
const DIRECTIONS = [
  ['ingress', 'from'],
  ['egress', 'to'],
] as const;

/**
 * NetworkPolicy rules the 1.28 schema cannot express (`ValidateNetworkPolicySpec`): selectors, one kind of peer
 * each (ipBlock alone), CIDRs and their exceptions, port ranges, and the policy types.
 */
export const networkPolicies = perObject((target) => {
  if (target.object.kind !== 'NetworkPolicy') return [];
  const spec = asObject(target.object.spec) ?? {};
  const problems: Problem[] = [...labelSelectorProblems(spec.podSelector, ['spec', 'podSelector'])];
  for (const [direction, peers] of DIRECTIONS) {
    asArray(spec[direction]).forEach((item, index) => {
      const rule = asObject(item) ?? {};
      const at: FieldPath = ['spec', direction, index];
      asArray(rule[peers]).forEach((peer, i) =>
        problems.push(...peerProblems(asObject(peer) ?? {}, [...at, peers, i])),
      );
      asArray(rule.ports).forEach((port, i) =>
        problems.push(...portProblems(asObject(port) ?? {}, [...at, 'ports', i])),
      );
    });
  }
  const types = asArray(spec.policyTypes);
  if (types.length > POLICY_TYPES.length)
    problems.push({ path: ['spec', 'policyTypes'], message: 'may not specify more than two policyTypes' });
  types.forEach((type, index) => {
    if (typeof type === 'string' && !POLICY_TYPES.includes(type)) {
      problems.push({
        path: ['spec', 'policyTypes', index],
        message: `unsupported value ${show(type)}; supported values: "Ingress", "Egress"`,
      });
    }
  });
  return toFindings(target, problems);
});

function peerProblems(peer: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  for (const selector of ['podSelector', 'namespaceSelector']) {
    if (peer[selector] !== undefined) problems.push(...labelSelectorProblems(peer[selector], [...path, selector]));
  }
  const ipBlock = asObject(peer.ipBlock);
  if (ipBlock !== undefined) problems.push(...ipBlockProblems(ipBlock, [...path, 'ipBlock']));
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((field) => peer[field] !== undefined).length;
  if (kinds === 0) problems.push({ path, message: 'must specify a peer: podSelector, namespaceSelector or ipBlock' });
  else if (kinds > 1 && ipBlock !== undefined)
    problems.push({ path, message: 'may not specify both ipBlock and another peer' });
  return problems;
}

function ipBlockProblems(ipBlock: JsonObject, path: FieldPath): Problem[] {
  if (typeof ipBlock.cidr !== 'string') return [];
  const cidr = parseCidr(ipBlock.cidr);
  if (cidr === undefined)
    return invalid([...path, 'cidr'], ipBlock.cidr, ['must be a valid CIDR (e.g. 10.0.0.0/16 or fd00::/8)']);
  return asArray(ipBlock.except).flatMap((text, index) => {
    if (typeof text !== 'string') return [];
    const except = parseCidr(text);
    if (except === undefined) return invalid([...path, 'except', index], text, ['must be a valid CIDR']);
    return isStrictSubset(except, cidr)
      ? []
      : invalid([...path, 'except', index], text, ['must be a strict subset of `cidr`']);
  });
}

function portProblems(port: JsonObject, path: FieldPath): Problem[] {
  const { port: number, endPort } = port;
  if (typeof number === 'number') {
    const problems = invalid([...path, 'port'], number, portNumber(number));
    if (typeof endPort === 'number') {
      problems.push(...invalid([...path, 'endPort'], endPort, portNumber(endPort)));
      if (endPort < number)
        problems.push(...invalid([...path, 'endPort'], endPort, ['must be greater than or equal to `port`']));
    }
    return problems;
  }
  if (typeof number === 'string') {
    return [
      ...invalid([...path, 'port'], number, portNumberOrName(number)),
      ...(endPort !== undefined
        ? invalid([...path, 'endPort'], endPort, ['may not be specified when `port` is non-numeric'])
        : []),
    ];
  }
  return endPort !== undefined
    ? invalid([...path, 'endPort'], endPort, ['may not be specified when `port` is not specified'])
    : [];
}
