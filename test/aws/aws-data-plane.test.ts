import * as pulumi from '@pulumi/pulumi';
import { ENVIRONMENT_NAMES, EnvironmentName, loadEnvironment, parseQuantity, PRICES, VERSIONS } from '../../config';
import {
  MONITORING,
  NODE_POOL_LABEL,
  PLATFORM_NAMESPACES,
  PLATFORM_SERVICE_ACCOUNTS,
  polarisCatalogUri,
  SPARK_DRIVER_SERVICE_ACCOUNT,
  SPARK_NODE_POOLS,
  SPARK_NODE_TAINT,
  SYSTEM_NODE_LABEL,
} from '../../constructs/conventions';
import { UNSCOPED_EC2_READ_ACTIONS } from '../../constructs/aws/policies';
import { subnetLayout } from '../../constructs/aws/cidr';
import { ACCOUNT_ID, CLUSTER_SG, installAwsMocks, REGION } from '../helpers/aws-mocks';
import { MockedResource, settle, valueOf } from '../helpers/pulumi-mocks';

type Stack = Awaited<ReturnType<typeof import('../helpers/deploy-environment').deployBothProjects>>;

let all: MockedResource[];
const stacks = {} as Record<EnvironmentName, Stack>;

// One mocked engine for the file; the three environments are built side by side (their names are prefixed).
beforeAll(async () => {
  all = await installAwsMocks();
  const { deployBothProjects } = await import('../helpers/deploy-environment');
  for (const name of ENVIRONMENT_NAMES) stacks[name] = await deployBothProjects(loadEnvironment(name));
  await settle(800);
  // Two programs per environment on a shared 2-core machine.
}, 240_000);

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every IAM policy document the stack creates, parsed: trust policies, inline policies, bucket and queue policies. */
function policyDocuments(resources: MockedResource[]): { name: string; doc: any }[] {
  const fields: Record<string, string> = {
    'aws:iam/role:Role': 'assumeRolePolicy',
    'aws:iam/rolePolicy:RolePolicy': 'policy',
    'aws:s3/bucketPolicy:BucketPolicy': 'policy',
    'aws:sqs/queuePolicy:QueuePolicy': 'policy',
  };
  return resources
    .filter((r) => fields[r.type])
    .map((r) => ({ name: r.name, doc: JSON.parse(r.inputs[fields[r.type]]) }));
}

/** True for `*` or an ARN whose service, region or account is a wildcard, or whose resource part is only `*`. */
function isWildcardResource(resource: string): boolean {
  if (resource === '*') return true;
  const [, , service, region, account, ...rest] = resource.split(':');
  return [service, region, account].some((part) => part?.includes('*')) || rest.join(':') === '*';
}

describe.each(ENVIRONMENT_NAMES)('AWS layer of %s', (envName) => {
  const env = loadEnvironment(envName);
  const clusterName = `dataplane-${envName}`;
  const mine = () => all.filter((r) => r.name.startsWith(`${envName}-`));
  const ofType = (type: string) => mine().filter((r) => r.type === type);
  const named = (name: string) => {
    const found = mine().find((r) => r.name === `${envName}-${name}`);
    if (!found) throw new Error(`no resource ${envName}-${name}`);
    return found;
  };
  const azs = env.network.availabilityZones;

  describe('network', () => {
    test('one public and one private subnet per availability zone, laid out inside the VPC', () => {
      const subnets = ofType('aws:ec2/subnet:Subnet');
      const tier = (t: string) => subnets.filter((s) => s.name.includes(`-network-${t}-`));
      const layout = subnetLayout(env.network.vpcCidr, azs);
      expect(tier('public').map((s) => s.inputs.cidrBlock)).toEqual(layout.public);
      expect(tier('private').map((s) => s.inputs.cidrBlock)).toEqual(layout.private);
      for (const t of ['public', 'private']) {
        expect(tier(t).map((s) => s.inputs.availabilityZone)).toEqual(
          ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].slice(0, azs),
        );
      }
      expect(named('network-vpc').inputs).toMatchObject({
        cidrBlock: env.network.vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
      });
    });

    test('subnets are tagged for load balancers and Karpenter discovery', () => {
      for (let i = 0; i < azs; i++) {
        expect(named(`network-public-${i}`).inputs.tags).toMatchObject({ 'kubernetes.io/role/elb': '1' });
        expect(named(`network-public-${i}`).inputs.tags['karpenter.sh/discovery']).toBeUndefined();
        expect(named(`network-private-${i}`).inputs.tags).toMatchObject({
          'kubernetes.io/role/internal-elb': '1',
          'karpenter.sh/discovery': clusterName,
        });
      }
    });

    test('NAT: one in dev, one per AZ in staging and prod, each private route table through one', () => {
      const expected = { dev: 1, staging: 3, prod: 3 }[envName];
      const nats = ofType('aws:ec2/natGateway:NatGateway');
      expect(nats).toHaveLength(expected);
      nats.forEach((nat, i) => expect(nat.inputs.subnetId).toBe(`${envName}-network-public-${i}-id`));
      const natIds = Array.from({ length: azs }, (_, i) => named(`network-private-default-${i}`).inputs.natGatewayId);
      expect(new Set(natIds).size).toBe(expected);
      expect(named('network-public-default').inputs).toMatchObject({
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: `${envName}-network-igw-id`,
      });
    });

    test('S3 gateway endpoint on every private route table, interface endpoints as configured', () => {
      const s3 = named('network-s3-endpoint').inputs;
      expect(s3).toMatchObject({ serviceName: `com.amazonaws.${REGION}.s3`, vpcEndpointType: 'Gateway' });
      expect(s3.routeTableIds).toEqual(Array.from({ length: azs }, (_, i) => `${envName}-network-private-rt-${i}-id`));
      const interfaces = ofType('aws:ec2/vpcEndpoint:VpcEndpoint').filter(
        (e) => e.inputs.vpcEndpointType === 'Interface',
      );
      expect(interfaces.map((e) => e.inputs.serviceName)).toEqual(
        env.network.interfaceEndpoints.map((s) => `com.amazonaws.${REGION}.${s}`),
      );
      expect(interfaces.length).toBe(envName === 'dev' ? 0 : 3);
      // No `logs` endpoint: nothing in the cluster ships to CloudWatch Logs.
      expect(interfaces.map((e) => e.inputs.serviceName)).not.toContain(`com.amazonaws.${REGION}.logs`);
      for (const e of interfaces)
        expect(e.inputs).toMatchObject({
          privateDnsEnabled: true,
          subnetIds: expect.arrayContaining([`${envName}-network-private-0-id`]),
        });
    });
  });

  describe('cluster', () => {
    test('endpoint: always private, public only with the allow-list (never in prod)', () => {
      const vpcConfig = named('cluster-eks').inputs.vpcConfig;
      expect(vpcConfig.endpointPrivateAccess).toBe(true);
      expect(vpcConfig.endpointPublicAccess).toBe({ dev: true, staging: true, prod: false }[envName]);
      expect(vpcConfig.publicAccessCidrs).toEqual(envName === 'prod' ? undefined : env.aws.cluster.publicAccessCidrs);
      expect(vpcConfig.subnetIds).toEqual(Array.from({ length: azs }, (_, i) => `${envName}-network-private-${i}-id`));
    });

    test('version 1.35, EXTENDED upgrade policy, API authentication, every log type, no unmanaged add-ons', () => {
      expect(named('cluster-eks').inputs).toMatchObject({
        name: clusterName,
        version: '1.35',
        // EXTENDED: EKS never upgrades the control plane itself when standard support ends.
        upgradePolicy: { supportType: 'EXTENDED' },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
        bootstrapSelfManagedAddons: false,
      });
      expect(named('cluster-logs').inputs).toEqual(
        expect.objectContaining({
          name: `/aws/eks/${clusterName}/cluster`,
          retentionInDays: env.aws.cluster.logRetentionDays,
        }),
      );
    });

    test('access entries grant cluster-admin to each configured administrator, the creator gets none implicitly', () => {
      // With no implicit creator entry, the deployer's explicit entry cannot collide with one EKS made (409).
      expect(named('cluster-eks').inputs.accessConfig.bootstrapClusterCreatorAdminPermissions).toBe(false);
      const entries = ofType('aws:eks/accessEntry:AccessEntry').filter((e) => e.name.includes('-cluster-admin-'));
      expect(entries.map((e) => e.inputs.principalArn)).toEqual(env.aws.cluster.admins);
      for (const e of entries) expect(e.inputs).toMatchObject({ clusterName, type: 'STANDARD' });
      const grants = ofType('aws:eks/accessPolicyAssociation:AccessPolicyAssociation');
      expect(grants.map((g) => g.inputs.principalArn)).toEqual(env.aws.cluster.admins);
      for (const g of grants)
        expect(g.inputs).toMatchObject({
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: { type: 'cluster' },
        });
    });

    test('the control plane reaches nodes on 9443 (Spark Operator) and 9089 (YuniKorn), 443 and 10250; nodes reach it on 443', () => {
      const nodeSg = `${envName}-cluster-node-sg-id`;
      for (const port of [443, 10250, 9443, 9089]) {
        expect(named(`cluster-node-from-control-plane-${port}`).inputs).toMatchObject({
          securityGroupId: nodeSg,
          referencedSecurityGroupId: CLUSTER_SG,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
        });
      }
      expect(named('cluster-control-plane-from-node').inputs).toMatchObject({
        securityGroupId: CLUSTER_SG,
        referencedSecurityGroupId: nodeSg,
        fromPort: 443,
        toPort: 443,
      });
      expect(named('cluster-node-sg').inputs.tags).toMatchObject({ 'karpenter.sh/discovery': clusterName });
    });

    test("managed add-ons at the versions pinned for 1.35; host-network ones before the nodes, Deployments after kube-system's policy", () => {
      const addons = ofType('aws:eks/addon:Addon');
      expect(Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion]))).toEqual(
        VERSIONS.eksAddons['1.35'],
      );
      const nodeGroup = named('system-nodes');
      for (const early of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'])
        expect(nodeGroup.dependsOn).toContain(named(`bootstrap-addons-${early}`).urn);
      for (const late of ['coredns', 'aws-ebs-csi-driver'])
        expect(named(`workload-addons-${late}`).dependsOn).toContain(named('kube-system-allow-all').urn);
    });

    test('the VPC CNI enforces network policies, strictly from pod start', () => {
      const cni = named('bootstrap-addons-vpc-cni').inputs;
      expect(JSON.parse(cni.configurationValues)).toEqual({
        enableNetworkPolicy: 'true',
        env: { NETWORK_POLICY_ENFORCING_MODE: 'strict' },
      });
      // Strict mode denies pods no policy selects: kube-system gets an explicit allow-all before its Deployments.
      expect(named('kube-system-allow-all').inputs).toMatchObject({
        metadata: { name: 'allow-all', namespace: 'kube-system' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
      });
    });

    test(`the API endpoint is reachable from the declared deployer ranges (${envName})`, () => {
      const rules = ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter((r) =>
        r.name.startsWith(`${envName}-cluster-api-from-deployer-`),
      );
      expect(rules.map((r) => r.inputs)).toEqual(
        env.aws.cluster.deployerCidrs.map((cidrIpv4) =>
          expect.objectContaining({
            securityGroupId: CLUSTER_SG,
            cidrIpv4,
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
          }),
        ),
      );
      if (envName === 'prod') expect(rules.length).toBeGreaterThan(0);
    });
  });

  describe('capacity', () => {
    test('system node group: on-demand Graviton, labelled and tainted for platform pods, fixed at minNodes, IMDSv2 only', () => {
      const group = named('system-nodes').inputs;
      expect(group).toMatchObject({
        capacityType: 'ON_DEMAND',
        amiType: 'AL2023_ARM_64_STANDARD',
        instanceTypes: env.capacity.system.instanceTypes,
        labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
        scalingConfig: {
          minSize: env.capacity.system.minNodes,
          maxSize: env.capacity.system.minNodes,
          desiredSize: env.capacity.system.minNodes,
        },
        launchTemplate: { id: `${envName}-system-lt-id`, version: '1' },
      });
      expect(group.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }]);
      expect(named('system-lt').inputs).toMatchObject({
        metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
        vpcSecurityGroupIds: [`${envName}-cluster-node-sg-id`],
      });
    });

    test('Karpenter NodePools: drivers on-demand, executors on spot, both tainted and labelled like the Spark job constructs expect', () => {
      const pools = ofType('kubernetes:karpenter.sh/v1:NodePool');
      expect(pools.map((p) => p.inputs.metadata.name)).toEqual([
        SPARK_NODE_POOLS.driver.name,
        SPARK_NODE_POOLS.executor.name,
        'system',
      ]);
      for (const pool of Object.values(SPARK_NODE_POOLS)) {
        const spec = pools.find((p) => p.inputs.metadata.name === pool.name)!.inputs.spec;
        expect(spec.template.spec.taints).toEqual([SPARK_NODE_TAINT]);
        expect(spec.template.metadata.labels).toEqual({ [NODE_POOL_LABEL]: pool.name });
        expect(spec.template.spec.requirements).toContainEqual({
          key: 'karpenter.sh/capacity-type',
          operator: 'In',
          values: [pool.capacityType],
        });
        expect(spec.template.spec.nodeClassRef).toEqual({
          group: 'karpenter.k8s.aws',
          kind: 'EC2NodeClass',
          name: 'spark',
        });
        expect(spec.disruption.consolidationPolicy).toBe('WhenEmpty');
        expect(spec.disruption.budgets.length).toBeGreaterThan(0);
      }
    });

    test('the system pool grows platform capacity up to maxNodes, tainted so tenant pods never land there', () => {
      const spec = ofType('kubernetes:karpenter.sh/v1:NodePool').find((p) => p.inputs.metadata.name === 'system')!
        .inputs.spec;
      expect(spec.template.spec.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
      expect(spec.template.metadata.labels).toEqual({ [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value });
      const extra = env.capacity.system.maxNodes - env.capacity.system.minNodes;
      const shape = PRICES.ec2[env.capacity.system.instanceTypes[0] as keyof typeof PRICES.ec2];
      expect(parseQuantity(spec.limits.cpu)).toBe(extra * shape.cpu);
    });

    test('the pools together are limited to the environment Spark capacity', () => {
      const limits = ofType('kubernetes:karpenter.sh/v1:NodePool')
        .filter((p) => p.inputs.metadata.name !== 'system')
        .map((p) => p.inputs.spec.limits);
      const sum = (key: 'cpu' | 'memory') => limits.reduce((acc, l) => acc + parseQuantity(l[key]), 0);
      expect(sum('cpu')).toBe(parseQuantity(env.capacity.spark.maxCpu));
      expect(sum('memory')).toBe(parseQuantity(env.capacity.spark.maxMemory));
    });

    test('EC2NodeClass: IMDSv2 only, encrypted volumes, discovery-tagged subnets, the node security group', () => {
      const spec = named('karpenter-spark-node-class').inputs.spec;
      expect(spec.metadataOptions).toMatchObject({
        httpTokens: 'required',
        httpEndpoint: 'enabled',
        httpPutResponseHopLimit: 1,
      });
      expect(spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, volumeType: 'gp3' });
      expect(spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': clusterName } }]);
      expect(spec.securityGroupSelectorTerms).toEqual([{ id: `${envName}-cluster-node-sg-id` }]);
      expect(spec.instanceProfile).toBe(`${envName}-karpenter-node-profile`);
      expect(spec.amiSelectorTerms).toEqual([{ alias: VERSIONS.karpenter.amiAlias }]);
    });

    test('Karpenter is installed by Helm on the system nodes, CRDs from karpenter-crd, interruptions through SQS and EventBridge', () => {
      const release = named('karpenter-karpenter').inputs;
      expect(release).toMatchObject({
        chart: VERSIONS.karpenter.chartRepository,
        version: VERSIONS.karpenter.chart,
        namespace: 'kube-system',
        skipCrds: true,
      });
      expect(named('karpenter-crd').inputs).toMatchObject({
        name: 'karpenter-crd',
        chart: VERSIONS.karpenter.crdChartRepository,
        version: VERSIONS.karpenter.chart,
        namespace: 'kube-system',
      });
      expect(named('karpenter-karpenter').dependsOn).toContain(named('karpenter-crd').urn);
      expect(release.values.settings).toEqual({
        clusterName,
        clusterEndpoint: `https://${clusterName}.gr7.${REGION}.eks.amazonaws.com`,
        interruptionQueue: `${clusterName}-karpenter`,
        isolatedVPC: true,
      });
      expect(release.values.nodeSelector).toMatchObject({ [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value });
      const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${clusterName}-karpenter`;
      const rules = ofType('aws:cloudwatch/eventRule:EventRule').map(
        (r) => JSON.parse(r.inputs.eventPattern)['detail-type'][0],
      );
      expect(rules).toEqual([
        'AWS Health Event',
        'EC2 Spot Instance Interruption Warning',
        'EC2 Instance Rebalance Recommendation',
        'EC2 Instance State-change Notification',
      ]);
      for (const t of ofType('aws:cloudwatch/eventTarget:EventTarget')) expect(t.inputs.arn).toBe(queueArn);
      expect(named('karpenter-node-access').inputs).toMatchObject({
        clusterName,
        type: 'EC2_LINUX',
        principalArn: `arn:aws:iam::${ACCOUNT_ID}:role/${envName}-karpenter-node-role`,
      });
    });

    test('the Spot service-linked role is created where the account has none, and kept on destroy', () => {
      const role = named('karpenter-spot-service-linked-role');
      expect(role.inputs.awsServiceName).toBe('spot.amazonaws.com');
      expect(role.retainOnDelete).toBe(true);
    });
  });

  describe('encryption', () => {
    test('Secrets envelope-encrypted with a rotating KMS key; every key rotates', () => {
      expect(named('cluster-eks').inputs.encryptionConfig).toEqual({
        provider: { keyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${envName}-cluster-secrets-key` },
        resources: ['secrets'],
      });
      const keys = ofType('aws:kms/key:Key');
      expect(keys.map((k) => k.name)).toEqual(
        expect.arrayContaining([
          `${envName}-cluster-secrets-key`,
          `${envName}-storage-key`,
          `${envName}-polaris-db-key`,
        ]),
      );
      for (const k of keys) expect(k.inputs.enableKeyRotation).toBe(true);
    });

    test('both buckets: SSE-KMS with the storage key, public access blocked, TLS-only policy', () => {
      const key = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${envName}-storage-key`;
      for (const [role, bucket] of [
        ['warehouse', env.storage.warehouseBucket],
        ['event-logs', env.storage.eventLogBucket],
      ]) {
        expect(named(`storage-${role}`).inputs.bucket).toBe(bucket);
        expect(named(`storage-${role}-encryption`).inputs.rules).toEqual([
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key },
            bucketKeyEnabled: true,
          },
        ]);
        expect(named(`storage-${role}-public-access`).inputs).toMatchObject({
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
        const policy = JSON.parse(named(`storage-${role}-tls-only`).inputs.policy);
        expect(policy.Statement).toEqual([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]);
      }
    });

    test('event logs expire after the configured days, their directories exist from the start; the warehouse is versioned', () => {
      expect(named('storage-event-logs-lifecycle').inputs.rules[0]).toMatchObject({
        status: 'Enabled',
        filter: { objectSizeGreaterThan: 0 },
        expiration: { days: env.aws.eventLogRetentionDays },
      });
      const markers = ofType('aws:s3/bucketObjectv2:BucketObjectv2').filter((o) =>
        o.name.startsWith(`${envName}-storage-`),
      );
      expect(markers.map((m) => m.inputs.key)).toEqual([
        'spark-events/',
        ...env.tenants.map((t) => `spark-events/${t.name}/`),
      ]);
      for (const m of markers) expect(m.inputs).toMatchObject({ bucket: env.storage.eventLogBucket, content: '' });
      expect(named('storage-warehouse-versioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
      expect(named('storage-warehouse-lifecycle').inputs.rules[0].expiration).toBeUndefined();
    });

    test('database, queue and node volumes are encrypted', () => {
      expect(named('polaris-db-db').inputs).toMatchObject({
        storageEncrypted: true,
        kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${envName}-polaris-db-key`,
      });
      expect(named('polaris-db-params').inputs.parameters).toEqual([{ name: 'rds.force_ssl', value: '1' }]);
      expect(named('karpenter-interruptions').inputs.sqsManagedSseEnabled).toBe(true);
      expect(named('system-lt').inputs.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: 'true' });
    });
  });

  describe('IAM', () => {
    test('no policy document has a wildcard resource, except region-pinned EC2 reads that have no resource scope', () => {
      const docs = policyDocuments(mine());
      // Trust policies of 8 + 1 per tenant roles, 5 + 1 per tenant inline policies, 2 bucket policies, 1 queue policy;
      // a role and its policy for Prometheus where the environment remote-writes to AMP.
      const remoteWriteDocs = env.monitoring.stack?.remoteWrite ? 2 : 0;
      expect(docs).toHaveLength(16 + 2 * env.tenants.length + remoteWriteDocs);
      const unscoped: string[] = [];
      for (const { name, doc } of docs) {
        for (const statement of doc.Statement) {
          const wild = asList<string>(statement.Resource).filter(isWildcardResource);
          if (wild.length === 0) continue;
          const readsOnly = asList<string>(statement.Action).every((a) =>
            (UNSCOPED_EC2_READ_ACTIONS as readonly string[]).includes(a),
          );
          const pinned = statement.Condition?.StringEquals?.['aws:RequestedRegion'] === REGION;
          if (!(readsOnly && pinned && wild.length === 1 && asList(statement.Resource).length === 1))
            unscoped.push(`${name}: ${JSON.stringify(statement)}`);
        }
      }
      expect(unscoped).toEqual([]);
    });

    test('Pod Identity: Polaris, each tenant driver, the History Server, Karpenter and the EBS CSI driver, trusted only for their service account', () => {
      const associations = ofType('aws:eks/podIdentityAssociation:PodIdentityAssociation').map(
        (a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`,
      );
      expect(associations.sort()).toEqual(
        [
          `${PLATFORM_NAMESPACES.polaris}/${PLATFORM_SERVICE_ACCOUNTS.polaris}`,
          `${PLATFORM_NAMESPACES.historyServer}/${PLATFORM_SERVICE_ACCOUNTS.historyServer}`,
          'kube-system/karpenter',
          'kube-system/ebs-csi-controller-sa',
          ...env.tenants.map((t) => `${t.name}/${SPARK_DRIVER_SERVICE_ACCOUNT}`),
          // Prometheus only where the environment remote-writes to AMP.
          ...(env.monitoring.stack?.remoteWrite
            ? [`${MONITORING.namespace}/${MONITORING.prometheusServiceAccount}`]
            : []),
        ].sort(),
      );
      const trust = JSON.parse(named('iam-polaris-role').inputs.assumeRolePolicy).Statement[0];
      expect(trust).toMatchObject({
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      });
      expect(trust.Condition.StringEquals).toEqual({
        'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${REGION}:${ACCOUNT_ID}:cluster/${clusterName}`,
        'aws:RequestTag/kubernetes-namespace': 'polaris',
        'aws:RequestTag/kubernetes-service-account': 'polaris',
      });
    });

    test('Polaris may only assume the catalog role, which trusts only Polaris with the external ID', () => {
      const catalogArn = `arn:aws:iam::${ACCOUNT_ID}:role/${clusterName}-polaris-catalog`;
      expect(JSON.parse(named('iam-polaris-policy').inputs.policy).Statement).toEqual([
        expect.objectContaining({ Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: catalogArn }),
      ]);
      expect(named('iam-catalog').inputs.name).toBe(`${clusterName}-polaris-catalog`);
      const trust = JSON.parse(named('iam-catalog').inputs.assumeRolePolicy).Statement;
      expect(trust[0]).toMatchObject({
        Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/${envName}-iam-polaris-role` },
        Condition: { StringEquals: { 'sts:ExternalId': 'generatedexternalid' } },
      });
    });

    test('the catalog role reaches only the catalog prefix of the warehouse and its key; Spark roles only the event-log bucket', () => {
      const warehouse = `arn:aws:s3:::${env.storage.warehouseBucket}`;
      const key = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${envName}-storage-key`;
      const catalog = JSON.parse(named('iam-catalog-storage').inputs.policy).Statement.flatMap((s: any) =>
        asList(s.Resource),
      );
      expect(new Set(catalog)).toEqual(new Set([warehouse, `${warehouse}/${env.catalog.name}/*`, key]));
      const events = `arn:aws:s3:::${env.storage.eventLogBucket}`;
      for (const tenant of env.tenants) {
        const statements = JSON.parse(named(`iam-spark-${tenant.name}-policy`).inputs.policy).Statement;
        const resources = statements.flatMap((s: any) => asList(s.Resource));
        // Each tenant's drivers reach only their own prefix: no other tenant's logs, no bucket-wide object grant.
        expect(new Set(resources)).toEqual(new Set([events, `${events}/spark-events/${tenant.name}/*`, key]));
        expect(statements.find((s: any) => s.Sid === 'ListEventLogs').Condition).toEqual({
          StringLike: { 's3:prefix': [`spark-events/${tenant.name}/`, `spark-events/${tenant.name}/*`] },
        });
      }
      const history = JSON.parse(named('iam-history-server-policy').inputs.policy).Statement;
      expect(history.flatMap((s: any) => asList(s.Action))).not.toContain('s3:PutObject');
      expect(history.find((s: any) => s.Sid === 'ReadEventLogs').Resource).toBe(`${events}/spark-events/*`);
    });
  });

  test('the remote-write role may only write to its AMP workspace', () => {
    const workspace = env.monitoring.stack?.remoteWrite?.workspaceArn;
    const policies = mine().filter((r) => r.name === `${envName}-iam-prometheus-policy`);
    if (!workspace) {
      expect(policies).toEqual([]);
      return;
    }
    expect(JSON.parse(policies[0].inputs.policy).Statement).toEqual([
      { Sid: 'RemoteWrite', Effect: 'Allow', Action: ['aps:RemoteWrite'], Resource: workspace },
    ]);
  });

  describe('Polaris database', () => {
    test('private, backed up, reachable only from the node security group on 5432', () => {
      const db = named('polaris-db-db').inputs;
      expect(db).toMatchObject({
        engine: 'postgres',
        engineVersion: VERSIONS.postgres.engineVersion,
        instanceClass: env.aws.database.instanceClass,
        publiclyAccessible: false,
        backupRetentionPeriod: env.aws.database.backupRetentionDays,
        multiAz: env.aws.database.multiAz,
        vpcSecurityGroupIds: [`${envName}-polaris-db-sg-id`],
        password: expect.objectContaining({ value: 'generatedpassword0123456789' }),
      });
      const rules = ofType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter(
        (r) => r.inputs.securityGroupId === `${envName}-polaris-db-sg-id`,
      );
      expect(rules.map((r) => r.inputs)).toEqual([
        expect.objectContaining({
          referencedSecurityGroupId: `${envName}-cluster-node-sg-id`,
          fromPort: 5432,
          toPort: 5432,
          ipProtocol: 'tcp',
        }),
      ]);
      expect(rules[0].inputs.cidrIpv4).toBeUndefined();
    });

    test('the outputs the platform layer needs: JDBC URL, user, a secret generated password', async () => {
      const out = stacks[envName].aws.outputs.polarisDatabase;
      expect(await valueOf(out.jdbcUrl)).toBe(
        `jdbc:postgresql://${envName}-polaris-db-db.abc.${REGION}.rds.amazonaws.com:5432/polaris?sslmode=require`,
      );
      expect(out.username).toBe('polaris');
      expect(await valueOf(out.password)).toBe('generatedpassword0123456789');
      expect(await pulumi.isSecret(out.password)).toBe(true);
    });
  });

  describe('protection', () => {
    const prod = envName === 'prod';
    test(`stateful resources are ${prod ? '' : 'not '}protected against deletion`, () => {
      for (const name of ['storage-warehouse', 'storage-key', 'polaris-db-db', 'polaris-db-key']) {
        expect({ name, protect: named(name).protect, retainOnDelete: named(name).retainOnDelete }).toEqual({
          name,
          protect: prod,
          retainOnDelete: prod,
        });
      }
      expect(named('storage-event-logs').protect).toBe(false);
      expect(named('polaris-db-db').inputs).toMatchObject({ deletionProtection: prod, skipFinalSnapshot: !prod });
      expect(named('polaris-db-db').inputs.finalSnapshotIdentifier).toBe(
        prod ? `${envName}-polaris-db-final` : undefined,
      );
      expect(named('cluster-eks').inputs.deletionProtection).toBe(prod);
      // Outside prod both buckets can be destroyed with their (versioned) contents.
      expect(named('storage-warehouse').inputs.forceDestroy).toBe(!prod);
      expect(named('storage-event-logs').inputs.forceDestroy).toBe(!prod);
      expect(named('polaris-db-db').inputs.allowMajorVersionUpgrade).toBe(true);
      // The catalog's external ID: no program change regenerates it; in prod it cannot be deleted either.
      const externalId = named('iam-catalog-external-id');
      expect(externalId.ignoreChanges).toEqual(expect.arrayContaining(['length', 'special', 'keepers']));
      expect(externalId.protect).toBe(prod);
    });
  });

  describe('Kubernetes layers (platform project)', () => {
    test('the provider takes the infrastructure kubeconfig (aws eks get-token), without deleteUnreachable', () => {
      const provider = named('k8s');
      const kubeconfig = JSON.parse(provider.inputs.kubeconfig);
      expect(kubeconfig.clusters[0].cluster.server).toBe(`https://${clusterName}.gr7.${REGION}.eks.amazonaws.com`);
      expect(kubeconfig.users[0].user.exec).toMatchObject({
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', clusterName, '--region', REGION, '--output', 'json'],
      });
      // A refresh from a host that cannot reach the cluster must fail, not drop every release from the state.
      expect(provider.inputs.deleteUnreachable).toBeUndefined();
      expect(provider.inputs.enableServerSideApply).toBe('true');
    });

    test('the infrastructure project talks to AWS only: no Kubernetes resource is created under the AWS layer', () => {
      const awsLayer = all.find((r) => r.type === 'dataplane:aws:AwsDataPlane' && r.name === envName)!;
      const underAws = (r: MockedResource): boolean => {
        const parent = all.find((p) => p.urn === r.parent);
        return parent !== undefined && (parent.urn === awsLayer.urn || underAws(parent));
      };
      expect(mine().filter((r) => r.type.startsWith('kubernetes:') && underAws(r))).toEqual([]);
      expect(ofType('pulumi:providers:kubernetes').map((p) => p.name)).toEqual([`${envName}-k8s`]);
    });

    test('every Pod Identity association is made by the infrastructure project, before any pod of the platform project', () => {
      const associations = ofType('aws:eks/podIdentityAssociation:PodIdentityAssociation');
      const platformMade = associations.filter((a) => a.name.startsWith(`${envName}-workload-addons-`));
      // The EBS CSI driver's own association: its add-on waits for it.
      expect(platformMade.map((a) => a.inputs.serviceAccount)).toEqual(['ebs-csi-controller-sa']);
      expect(named('workload-addons-aws-ebs-csi-driver').dependsOn).toContain(platformMade[0].urn);
      // Polaris, the History Servers, Karpenter, one per tenant, and Prometheus where it remote-writes to AMP.
      const prometheus = env.monitoring.stack?.remoteWrite ? 1 : 0;
      expect(associations.length - platformMade.length).toBe(3 + env.tenants.length + prometheus);
    });

    test('every chart layer is applied with that provider, after the workload add-ons and the Karpenter NodePools', () => {
      const provider = named('k8s');
      const layers = ['platform', 'tenants', 'provisioning', 'workloads'].map((l) => named(l));
      for (const layer of layers) expect(layer.provider).toBe(`${provider.urn}::${envName}-k8s-id`);
      const first = layers[0].dependsOn;
      for (const waited of [
        'workload-addons-coredns',
        'workload-addons-aws-ebs-csi-driver',
        'karpenter-driver-pool',
        'karpenter-executor-pool',
        'karpenter-system-pool',
      ]) {
        expect(first).toContain(named(waited).urn);
      }
      // The Helm releases sit between the platform and tenant layers: they wait for the first, the second for them.
      const releases = ofType('kubernetes:helm.sh/v3:Release').filter((r) => r.name.startsWith(`${envName}-services-`));
      const monitoringChart = env.monitoring.existingPrometheus ? [] : ['kube-prometheus-stack'];
      expect(releases.map((r) => r.inputs.chart).sort()).toEqual(
        [...monitoringChart, 'polaris', 'spark-operator', 'yunikorn'].sort(),
      );
      for (const release of releases) {
        expect(release.provider).toBe(`${provider.urn}::${envName}-k8s-id`);
        expect(release.dependsOn).toContain(layers[0].urn);
        expect(layers[1].dependsOn).toContain(release.urn);
      }
      expect(layers[2].dependsOn).toContain(layers[1].urn);
      expect(layers[3].dependsOn).toContain(layers[2].urn);
    });

    test("Karpenter waits for kube-system's policy and CoreDNS; its NodePools for the chart and their node class", () => {
      expect(named('karpenter-crd').dependsOn).toEqual(
        expect.arrayContaining([named('kube-system-allow-all').urn, named('workload-addons-coredns').urn]),
      );
      expect(named('karpenter-driver-pool').dependsOn).toEqual(
        expect.arrayContaining([named('karpenter-karpenter').urn, named('karpenter-spark-node-class').urn]),
      );
      expect(named('karpenter-system-pool').dependsOn).toContain(named('karpenter-system-node-class').urn);
    });
  });

  test('infrastructure stack outputs: cluster, kubeconfig command, buckets, secrets marked secret', async () => {
    const out = stacks[envName].outputs;
    expect(await valueOf(out.clusterName)).toBe(clusterName);
    expect(await valueOf(out.kubeconfigCommand)).toBe(
      `aws eks update-kubeconfig --region ${REGION} --name ${clusterName}`,
    );
    expect(await valueOf(out.warehouseBucket)).toBe(env.storage.warehouseBucket);
    expect(await valueOf(out.warehouseLocation)).toBe(`s3://${env.storage.warehouseBucket}/${env.catalog.name}/`);
    expect(await valueOf(out.eventLogBucket)).toBe(env.storage.eventLogBucket);
    expect(out.polarisUrl).toBe(polarisCatalogUri());
    expect(out.kubernetesVersion).toBe('1.35');
    expect(await valueOf(out.catalogRoleArn)).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/${clusterName}-polaris-catalog`);
    expect(await pulumi.isSecret(out.polarisDatabasePassword)).toBe(true);
    expect(await pulumi.isSecret(out.catalogExternalId)).toBe(true);
  });
});
