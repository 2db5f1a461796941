import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  AWS_DEFAULTS,
  INTERFACE_ENDPOINTS,
  InterfaceEndpoint,
  NAT_MODES,
  NatMode,
  Problems,
  vpcCidrProblem,
} from '../../config';
import { subnetLayout } from './cidr';

/** Subnet tag the AWS Load Balancer Controller reads for internet-facing load balancers. */
export const PUBLIC_ELB_TAG = { 'kubernetes.io/role/elb': '1' } as const;
/** Subnet tag the AWS Load Balancer Controller reads for internal load balancers. */
export const INTERNAL_ELB_TAG = { 'kubernetes.io/role/internal-elb': '1' } as const;
/** Tag key Karpenter's `subnetSelectorTerms` match (value: the cluster name). */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';

/** Arguments of {@link DataPlaneNetwork}. */
export interface DataPlaneNetworkArgs {
  /** IPv4 block of the VPC, between /16 and /20 (pods take VPC addresses, so private subnets need room). */
  readonly vpcCidr: string;
  /** Availability zones to spread the subnets over: 2 or 3. */
  readonly availabilityZones: number;
  /** Region of the VPC; names the endpoint services. */
  readonly region: string;
  /** Cluster whose Karpenter launches nodes into the private subnets (value of their discovery tag). */
  readonly clusterName: string;
  /**
   * One shared NAT gateway, or one per AZ.
   * @default 'single'
   */
  readonly natGateways?: NatMode;
  /**
   * Interface endpoints in the private subnets, so ECR pulls, STS and log shipping bypass NAT.
   * @default []
   */
  readonly interfaceEndpoints?: readonly InterfaceEndpoint[];
}

/**
 * The data plane's VPC: a public and a private subnet per availability zone, NAT for the private side, an S3 gateway
 * endpoint (Spark's S3 traffic never crosses NAT) and optional interface endpoints.
 */
export class DataPlaneNetwork extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:DataPlaneNetwork';

  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  /** One per AZ, in AZ order; nodes, the control plane's ENIs and the database live here. */
  public readonly privateSubnetIds: pulumi.Output<string>[];
  /** One per AZ; NAT gateways and internet-facing load balancers. */
  public readonly publicSubnetIds: pulumi.Output<string>[];
  /** The availability zones used, in subnet order. */
  public readonly availabilityZoneNames: pulumi.Output<string[]>;
  public readonly natGatewayCount: number;

  constructor(name: string, args: DataPlaneNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DataPlaneNetwork.TYPE, name, {}, opts);
    const natMode = args.natGateways ?? AWS_DEFAULTS.network.natGateways;
    const endpoints = args.interfaceEndpoints ?? AWS_DEFAULTS.network.interfaceEndpoints;
    validate(name, args, natMode, endpoints);

    const parent = { parent: this };
    const azCount = args.availabilityZones;
    const layout = subnetLayout(args.vpcCidr, azCount);
    const zones = aws.getAvailabilityZonesOutput(
      { state: 'available', filters: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] },
      parent,
    );
    const tag = (role: string, extra: Record<string, string> = {}) => ({ Name: `${name}-${role}`, ...extra });

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tag('vpc') },
      parent,
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tag('igw') }, parent);

    const subnet = (tier: 'public' | 'private', i: number) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: layout[tier][i],
          availabilityZone: zones.names[i],
          mapPublicIpOnLaunch: false,
          tags: tag(
            `${tier}-${i}`,
            tier === 'public' ? PUBLIC_ELB_TAG : { ...INTERNAL_ELB_TAG, [KARPENTER_DISCOVERY_TAG]: args.clusterName },
          ),
        },
        parent,
      );
    const azIndexes = Array.from({ length: azCount }, (_, i) => i);
    const publicSubnets = azIndexes.map((i) => subnet('public', i));
    const privateSubnets = azIndexes.map((i) => subnet('private', i));

    const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tag('public-rt') }, parent);
    new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id },
      parent,
    );
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-rta-${i}`,
          { subnetId: s.id, routeTableId: publicRoutes.id },
          parent,
        ),
    );

    this.natGatewayCount = natMode === 'perAz' ? azCount : 1;
    const nats = azIndexes.slice(0, this.natGatewayCount).map((i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${i}`,
        { domain: 'vpc', tags: tag(`nat-eip-${i}`) },
        { parent: this, dependsOn: [igw] },
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: tag(`nat-${i}`) },
        parent,
      );
    });
    const privateRoutes = privateSubnets.map((s, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-${i}`,
        { vpcId: vpc.id, tags: tag(`private-rt-${i}`) },
        parent,
      );
      new aws.ec2.Route(
        `${name}-private-default-${i}`,
        { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[i % nats.length].id },
        parent,
      );
      new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { subnetId: s.id, routeTableId: table.id }, parent);
      return table;
    });

    new aws.ec2.VpcEndpoint(
      `${name}-s3-endpoint`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: privateRoutes.map((t) => t.id),
        tags: tag('s3-endpoint'),
      },
      parent,
    );
    if (endpoints.length > 0) {
      const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-endpoints-sg`,
        { vpcId: vpc.id, description: 'HTTPS from the VPC to interface endpoints', tags: tag('endpoints-sg') },
        parent,
      );
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-https`,
        {
          securityGroupId: endpointSg.id,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: args.vpcCidr,
          description: 'HTTPS from the VPC',
        },
        parent,
      );
      for (const service of endpoints) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace('.', '-')}-endpoint`,
          {
            vpcId: vpc.id,
            serviceName: `com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: privateSubnets.map((s) => s.id),
            securityGroupIds: [endpointSg.id],
            tags: tag(`${service}-endpoint`),
          },
          parent,
        );
      }
    }

    this.vpcId = vpc.id;
    this.vpcCidr = args.vpcCidr;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.availabilityZoneNames = pulumi.all(privateSubnets.map((s) => s.availabilityZone));
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }
}

function validate(name: string, args: DataPlaneNetworkArgs, natMode: string, endpoints: readonly string[]): void {
  const problems = new Problems(`${DataPlaneNetwork.TYPE} ${name}`);
  const cidrProblem = vpcCidrProblem(args.vpcCidr);
  if (cidrProblem) problems.add('vpcCidr', args.vpcCidr, cidrProblem);
  problems.check(
    Number.isInteger(args.availabilityZones) && args.availabilityZones >= 2 && args.availabilityZones <= 3,
    'availabilityZones',
    args.availabilityZones,
    '2 or 3',
  );
  problems.check(
    (NAT_MODES as readonly string[]).includes(natMode),
    'natGateways',
    natMode,
    `one of ${NAT_MODES.join(', ')}`,
  );
  const unknown = endpoints.filter((e) => !(INTERFACE_ENDPOINTS as readonly string[]).includes(e));
  problems.check(unknown.length === 0, 'interfaceEndpoints', unknown, `only ${INTERFACE_ENDPOINTS.join(', ')}`);
  problems.check(
    new Set(endpoints).size === endpoints.length,
    'interfaceEndpoints',
    endpoints,
    'each endpoint at most once',
  );
  problems.check(
    args.clusterName.length > 0,
    'clusterName',
    args.clusterName,
    'the name of the cluster that discovers the subnets',
  );
  problems.throwIfAny();
}
