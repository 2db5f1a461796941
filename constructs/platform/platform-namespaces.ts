import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { DNS_LABEL, Problems } from '../../config';
import { PLATFORM_NAMESPACES } from '../conventions';

export interface PlatformNamespacesProps {
  /**
   * The namespaces to create.
   * @default - every namespace in PLATFORM_NAMESPACES
   */
  readonly namespaces?: readonly string[];
}

const DEFAULTS = { namespaces: Object.values(PLATFORM_NAMESPACES) as readonly string[] };

/** The namespaces of the platform services; they exist before the Helm releases and deploy-time Secrets that live in them. */
export class PlatformNamespaces extends Construct {
  /** The namespaces created, in order. */
  public readonly namespaces: readonly string[];

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps = {}) {
    super(scope, id);
    this.namespaces = props.namespaces ?? DEFAULTS.namespaces;
    const problems = new Problems(this.node.path);
    problems.check(this.namespaces.length > 0, 'namespaces', this.namespaces, 'at least one namespace');
    this.namespaces.forEach((ns, i) => {
      problems.check(DNS_LABEL.test(ns) && ns.length <= 63, `namespaces[${i}]`, ns, 'a DNS label');
      problems.check(this.namespaces.indexOf(ns) === i, `namespaces[${i}]`, ns, 'a namespace not listed before');
    });
    problems.throwIfAny();

    for (const name of this.namespaces) new k8s.KubeNamespace(this, name, { metadata: { name } });
  }
}
