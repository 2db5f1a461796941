/**
 * The corpus of bad environment files: each case is one mutation of a shipped environment (the first occurrence of
 * `from` replaced by `to`) and the one line the loader must report for it, after `<file>:`: the line, the key path,
 * the value as written and the expected form.
 */
export interface BadEnvironment {
  /** Shipped environment the case mutates. @default 'dev' */
  readonly base?: 'dev' | 'prod';
  readonly from: string;
  readonly to: string;
  /** `<line>: '<key>' is <value>; expected <form>`, or a YAML syntax line. */
  readonly expected: string;
}

const DATASET = 'timeTravel: 7d';
const DEV_TABLES =
  'tables: [raw_trades, bronze_trades, silver_trades, gold_ohlcv_1m, gold_ohlcv_5m, gold_ohlcv_15m, gold_ohlcv_30m, gold_ohlcv_1h, gold_ohlcv_1d]';
const maintenance = (yaml: string) => ({ from: DATASET, to: `${DATASET}\n    maintenance: ${yaml}` });
const access = (yaml: string) => ({ from: '      analytics: { read: [trading], write: [analytics] }', to: yaml });

export const BAD_ENVIRONMENTS: Readonly<Record<string, BadEnvironment>> = {
  // name and region
  'name not a DNS label': {
    from: 'name: dev',
    to: 'name: Dev',
    expected:
      '3: \'name\' is Dev; expected a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  },
  'name other than the file': {
    from: 'name: dev',
    to: 'name: qa',
    expected: '3: \'name\' is qa; expected "c002", the name of the file',
  },
  'region not a region': {
    from: 'region: eu-west-1',
    to: 'region: europe',
    expected: "4: 'region' is europe; expected an AWS region such as eu-west-1",
  },
  'region a list': {
    from: 'region: eu-west-1',
    to: 'region: [eu-west-1]',
    expected: "4: 'region' is [eu-west-1]; expected a string",
  },
  'region missing': {
    from: 'region: eu-west-1\n',
    to: '',
    expected: "3: 'region' is missing; expected a string (the key is required)",
  },
  'unknown top-level key': {
    from: 'region: eu-west-1',
    to: 'region: eu-west-1\nregions: [eu-west-2]',
    expected:
      "5: 'regions' is an unknown key (value [eu-west-2]); expected one of: name, region, network, aws, capacity, storage, catalog, tenants, services, offload, monitoring, jobs, datasets",
  },
  // network
  'VPC CIDR with host bits': {
    from: 'vpcCidr: 10.20.0.0/16',
    to: 'vpcCidr: 10.20.0.1/16',
    expected:
      "5: 'network.vpcCidr' is 10.20.0.1/16; expected an IPv4 CIDR block without host bits, between /16 and /20, such as 10.0.0.0/16 (host bits are set: did you mean 10.20.0.0/16?)",
  },
  'VPC CIDR larger than /16': {
    from: 'vpcCidr: 10.20.0.0/16',
    to: 'vpcCidr: 10.0.0.0/8',
    expected:
      "5: 'network.vpcCidr' is 10.0.0.0/8; expected an IPv4 CIDR block without host bits, between /16 and /20, such as 10.0.0.0/16",
  },
  'VPC CIDR smaller than /20': {
    from: 'vpcCidr: 10.20.0.0/16',
    to: 'vpcCidr: 10.20.0.0/24',
    expected:
      "5: 'network.vpcCidr' is 10.20.0.0/24; expected an IPv4 CIDR block without host bits, between /16 and /20, such as 10.0.0.0/16",
  },
  'VPC CIDR without a mask': {
    from: 'vpcCidr: 10.20.0.0/16',
    to: 'vpcCidr: 10.20.0.0',
    expected: "5: 'network.vpcCidr' is 10.20.0.0; expected an IPv4 CIDR block such as 10.0.0.0/16",
  },
  'VPC CIDR octet above 255': {
    from: 'vpcCidr: 10.20.0.0/16',
    to: 'vpcCidr: 300.20.0.0/16',
    expected: "5: 'network.vpcCidr' is 300.20.0.0/16; expected an IPv4 CIDR block such as 10.0.0.0/16",
  },
  'one availability zone': {
    from: 'availabilityZones: 2',
    to: 'availabilityZones: 1',
    expected: "5: 'network.availabilityZones' is 1; expected at least 2 availability zones",
  },
  'four availability zones': {
    from: 'availabilityZones: 2',
    to: 'availabilityZones: 4',
    expected: "5: 'network.availabilityZones' is 4; expected at most 3 availability zones",
  },
  'availability zones in words': {
    from: 'availabilityZones: 2',
    to: 'availabilityZones: two',
    expected: "5: 'network.availabilityZones' is two; expected a finite number",
  },
  'unknown NAT mode': {
    from: 'natGateways: single',
    to: 'natGateways: double',
    expected: '5: \'network.natGateways\' is double; expected one of "single", "perAz"',
  },
  'unknown interface endpoint': {
    from: 'natGateways: single',
    to: 'natGateways: single, interfaceEndpoints: [s3]',
    expected: '5: \'network.interfaceEndpoints[0]\' is s3; expected one of "ecr.api", "ecr.dkr", "sts"',
  },
  'interface endpoint twice': {
    from: 'natGateways: single',
    to: 'natGateways: single, interfaceEndpoints: [sts, sts]',
    expected: "5: 'network.interfaceEndpoints' is [sts, sts]; expected each endpoint at most once",
  },
  'misspelt network key': {
    from: 'vpcCidr: 10.20.0.0/16',
    to: 'vpcCIDR: 10.20.0.0/16',
    expected:
      "5: 'network.vpcCIDR' is an unknown key (value 10.20.0.0/16); expected vpcCidr, the key it resembles (one of: vpcCidr, availabilityZones, natGateways, interfaceEndpoints)",
  },
  // aws
  'API open to the internet': {
    from: 'publicAccessCidrs: [203.0.113.0/24]',
    to: 'publicAccessCidrs: [0.0.0.0/0]',
    expected:
      "9: 'aws.cluster.publicAccessCidrs[0]' is 0.0.0.0/0; expected a CIDR narrower than /0 (the API must not be open to the internet)",
  },
  'API range without a mask': {
    from: 'publicAccessCidrs: [203.0.113.0/24]',
    to: 'publicAccessCidrs: [203.0.113.0]',
    expected: "9: 'aws.cluster.publicAccessCidrs[0]' is 203.0.113.0; expected an IPv4 CIDR block such as 10.0.0.0/16",
  },
  'admin an assumed-role session': {
    from: 'admins: [arn:aws:iam::111122223333:role/acme-dataplane-admin]',
    to: 'admins: [arn:aws:sts::111122223333:assumed-role/admin/me]',
    expected:
      "10: 'aws.cluster.admins[0]' is arn:aws:sts::111122223333:assumed-role/admin/me; expected an IAM role or user ARN such as arn:aws:iam::111122223333:role/admin",
  },
  'admin listed twice': {
    from: 'admins: [arn:aws:iam::111122223333:role/acme-dataplane-admin]',
    to: 'admins: [arn:aws:iam::111122223333:role/a, arn:aws:iam::111122223333:role/a]',
    expected:
      "10: 'aws.cluster.admins' is [arn:aws:iam::111122223333:role/a, arn:aws:iam::111122223333:role/a]; expected each principal at most once",
  },
  'log retention CloudWatch lacks': {
    from: 'logRetentionDays: 30',
    to: 'logRetentionDays: 31',
    expected:
      "11: 'aws.cluster.logRetentionDays' is 31; expected one of the CloudWatch retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
  },
  'unknown cluster version': {
    from: 'logRetentionDays: 30',
    to: "logRetentionDays: 30\n    version: '1.20'",
    expected: '12: \'aws.cluster.version\' is \'1.20\'; expected one of "1.34", "1.35"',
  },
  'instance class without db.': {
    from: 'instanceClass: db.t4g.micro',
    to: 'instanceClass: t4g.micro',
    expected: "12: 'aws.database.instanceClass' is t4g.micro; expected an RDS instance class such as db.t4g.medium",
  },
  'storage under the RDS minimum': {
    from: 'allocatedStorageGb: 20',
    to: 'allocatedStorageGb: 10',
    expected: "12: 'aws.database.allocatedStorageGb' is 10; expected a whole number >= 20",
  },
  'backups kept past the RDS limit': {
    from: 'backupRetentionDays: 3',
    to: 'backupRetentionDays: 40',
    expected: "12: 'aws.database.backupRetentionDays' is 40; expected at most 35 days (the RDS limit)",
  },
  'storage ceiling below the allocation': {
    from: 'allocatedStorageGb: 20',
    to: 'allocatedStorageGb: 50, maxAllocatedStorageGb: 40',
    expected:
      "12: 'aws.database.maxAllocatedStorageGb' is 40; expected at least allocatedStorageGb (storage autoscaling cannot shrink)",
  },
  'multiAz as a word': {
    from: 'backupRetentionDays: 3',
    to: 'backupRetentionDays: 3, multiAz: yes',
    expected: "12: 'aws.database.multiAz' is yes; expected true or false",
  },
  'event logs kept zero days': {
    from: 'eventLogRetentionDays: 14',
    to: 'eventLogRetentionDays: 0',
    expected: "13: 'aws.eventLogRetentionDays' is 0; expected a whole number >= 1",
  },
  'deletion protection quoted': {
    from: 'eventLogRetentionDays: 14',
    to: "eventLogRetentionDays: 14\n  deletionProtection: 'true'",
    expected: "14: 'aws.deletionProtection' is 'true'; expected true or false",
  },
  // capacity
  'no system instance type': {
    from: 'instanceTypes: [t4g.large]',
    to: 'instanceTypes: []',
    expected: "15: 'capacity.system.instanceTypes' is []; expected at least one instance type",
  },
  'instance type without a dot': {
    from: 'instanceTypes: [t4g.large]',
    to: 'instanceTypes: [t4g-large]',
    expected: "15: 'capacity.system.instanceTypes[0]' is t4g-large; expected an EC2 instance type such as m6i.large",
  },
  'minNodes above maxNodes': {
    from: 'minNodes: 2',
    to: 'minNodes: 5',
    expected:
      "15: 'capacity.system.minNodes' is 5; expected at most maxNodes (3): the node group cannot keep more nodes than its upper bound",
  },
  'no system node': {
    from: 'minNodes: 2',
    to: 'minNodes: 0',
    expected: "15: 'capacity.system.minNodes' is 0; expected a whole number >= 1",
  },
  'fractional maxNodes': {
    from: 'maxNodes: 3',
    to: 'maxNodes: 3.5',
    expected: "15: 'capacity.system.maxNodes' is 3.5; expected a whole number",
  },
  'infinite Spark CPU': {
    from: 'maxCpu: 64',
    to: 'maxCpu: .inf',
    expected: "16: 'capacity.spark.maxCpu' is .inf; expected a Kubernetes quantity for cpu (e.g. 4, 500m, 64Gi)",
  },
  'negative Spark CPU': {
    from: 'maxCpu: 64',
    to: 'maxCpu: -8',
    expected: "16: 'capacity.spark.maxCpu' is -8; expected a non-negative quantity for cpu",
  },
  'Spark CPU in words': {
    from: 'maxCpu: 64',
    to: 'maxCpu: lots',
    expected: "16: 'capacity.spark.maxCpu' is lots; expected a Kubernetes quantity for cpu (e.g. 4, 500m, 64Gi)",
  },
  'Spark memory in GB': {
    from: 'maxMemory: 256Gi',
    to: 'maxMemory: 256GB',
    expected: "16: 'capacity.spark.maxMemory' is 256GB; expected a Kubernetes quantity for memory (e.g. 4, 500m, 64Gi)",
  },
  'guarantees above the Spark capacity': {
    from: 'budget: { cpu: 8, memory: 32Gi, pods: 30, guaranteed: { cpu: 4, memory: 16Gi } }',
    to: 'budget: { cpu: 60, memory: 32Gi, pods: 30, guaranteed: { cpu: 60, memory: 16Gi } }',
    expected:
      "16: 'capacity.spark.maxCpu' is 64; expected at least 68, the sum of the tenants' guaranteed cpu (trading 8 + analytics 60): guarantees must fit the Spark capacity",
  },
  // storage
  'warehouse bucket an IP address': {
    from: 'warehouseBucket: acme-dataplane-dev-warehouse',
    to: 'warehouseBucket: 192.168.1.1',
    expected:
      "18: 'storage.warehouseBucket' is 192.168.1.1; expected an S3 bucket name S3 accepts: not formatted as an IP address",
  },
  'warehouse bucket with adjacent periods': {
    from: 'warehouseBucket: acme-dataplane-dev-warehouse',
    to: 'warehouseBucket: acme..dev',
    expected:
      "18: 'storage.warehouseBucket' is acme..dev; expected an S3 bucket name S3 accepts: no two adjacent periods",
  },
  'warehouse bucket in capitals': {
    from: 'warehouseBucket: acme-dataplane-dev-warehouse',
    to: 'warehouseBucket: Acme-Warehouse',
    expected:
      '18: \'storage.warehouseBucket\' is Acme-Warehouse; expected an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit',
  },
  'warehouse bucket too short': {
    from: 'warehouseBucket: acme-dataplane-dev-warehouse',
    to: 'warehouseBucket: ab',
    expected:
      '18: \'storage.warehouseBucket\' is ab; expected an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit',
  },
  'warehouse bucket with the xn-- prefix': {
    from: 'warehouseBucket: acme-dataplane-dev-warehouse',
    to: 'warehouseBucket: xn--warehouse',
    expected:
      "18: 'storage.warehouseBucket' is xn--warehouse; expected an S3 bucket name S3 accepts: not starting with the reserved prefix xn--",
  },
  'warehouse bucket with an access-point suffix': {
    from: 'warehouseBucket: acme-dataplane-dev-warehouse',
    to: 'warehouseBucket: acme-warehouse-s3alias',
    expected:
      "18: 'storage.warehouseBucket' is acme-warehouse-s3alias; expected an S3 bucket name S3 accepts: not ending with the reserved suffix -s3alias",
  },
  'event-log bucket with the sthree- prefix': {
    from: 'eventLogBucket: acme-dataplane-dev-spark-events',
    to: 'eventLogBucket: sthree-events',
    expected:
      "19: 'storage.eventLogBucket' is sthree-events; expected an S3 bucket name S3 accepts: not starting with the reserved prefix sthree-",
  },
  'event-log bucket with a directory-bucket suffix': {
    from: 'eventLogBucket: acme-dataplane-dev-spark-events',
    to: 'eventLogBucket: acme-events--x-s3',
    expected:
      "19: 'storage.eventLogBucket' is acme-events--x-s3; expected an S3 bucket name S3 accepts: not ending with the reserved suffix --x-s3",
  },
  'event logs in the warehouse bucket': {
    from: 'eventLogBucket: acme-dataplane-dev-spark-events',
    to: 'eventLogBucket: acme-dataplane-dev-warehouse',
    expected:
      "19: 'storage.eventLogBucket' is acme-dataplane-dev-warehouse; expected a bucket other than storage.warehouseBucket (event logs expire by lifecycle rule; the warehouse must not)",
  },
  // catalog
  'realm starting with a digit': {
    from: 'realm: POLARIS',
    to: 'realm: 1POLARIS',
    expected: "21: 'catalog.realm' is 1POLARIS; expected a realm name such as POLARIS",
  },
  'catalog name in capitals': {
    from: '  name: lake',
    to: '  name: Lake',
    expected: '22: \'catalog.name\' is Lake; expected a catalog name: lower-case letters, digits and "_"',
  },
  // tenants
  'tenant name not a DNS label': {
    from: '- name: trading',
    to: '- name: Trading_Desk',
    expected:
      '26: \'tenants[0].name\' is Trading_Desk; expected a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  },
  'tenant in a platform namespace': {
    from: '- name: analytics',
    to: '- name: yunikorn',
    expected:
      "29: 'tenants[1].name' is yunikorn; expected a namespace of the tenant's own, not default, kube-* or a platform namespace (spark-operator, yunikorn, polaris, spark-history)",
  },
  'tenant in kube-system': {
    from: '- name: analytics',
    to: '- name: kube-system',
    expected:
      "29: 'tenants[1].name' is kube-system; expected a namespace of the tenant's own, not default, kube-* or a platform namespace (spark-operator, yunikorn, polaris, spark-history)",
  },
  'tenant in default': {
    from: '- name: analytics',
    to: '- name: default',
    expected:
      "29: 'tenants[1].name' is default; expected a namespace of the tenant's own, not default, kube-* or a platform namespace (spark-operator, yunikorn, polaris, spark-history)",
  },
  'tenant twice': {
    from: '- name: analytics',
    to: '- name: trading',
    expected: "29: 'tenants[1].name' is trading; expected a tenant name not already used by tenants[0]",
  },
  'tenant without an owner': {
    from: 'owner: quant-research',
    to: "owner: ''",
    expected: "30: 'tenants[1].owner' is ''; expected a non-empty owner (team or contact)",
  },
  'misspelt tenant key': {
    from: 'owner: quant-research',
    to: 'owner: quant-research\n    ownr: typo',
    expected:
      "31: 'tenants[1].ownr' is an unknown key (value typo); expected one of: name, owner, budget, sparkConnect",
  },
  'pods in words': {
    from: 'pods: 30',
    to: 'pods: thirty',
    expected: "31: 'tenants[1].budget.pods' is thirty; expected a finite number",
  },
  'no pods': {
    from: 'pods: 30',
    to: 'pods: 0',
    expected: "31: 'tenants[1].budget.pods' is 0; expected a whole number >= 1",
  },
  'negative CPU budget': {
    from: 'cpu: 8, memory: 32Gi, pods: 30',
    to: 'cpu: -4, memory: 32Gi, pods: 30',
    expected: "31: 'tenants[1].budget.cpu' is -4; expected a non-negative quantity for cpu",
  },
  'memory budget in GB': {
    from: 'cpu: 8, memory: 32Gi, pods: 30',
    to: 'cpu: 8, memory: 32GB, pods: 30',
    expected: "31: 'tenants[1].budget.memory' is 32GB; expected a Kubernetes quantity for memory (e.g. 4, 500m, 64Gi)",
  },
  'CPU finer than a millicore': {
    from: 'cpu: 8, memory: 32Gi, pods: 30',
    to: "cpu: '0.0005', memory: 32Gi, pods: 30",
    expected:
      "31: 'tenants[1].budget.cpu' is '0.0005'; expected a CPU quantity in whole millicores (YuniKorn queues have no finer unit), e.g. 250m or 4",
  },
  'guarantee above the budget': {
    from: 'guaranteed: { cpu: 8, memory: 32Gi }',
    to: 'guaranteed: { cpu: 20, memory: 32Gi }',
    expected:
      "28: 'tenants[0].budget.guaranteed.cpu' is 20; expected at most budget.cpu (16): a guarantee above the quota can never be used",
  },
  'budget above the Spark capacity': {
    from: 'cpu: 8, memory: 32Gi, pods: 30',
    to: 'cpu: 8, memory: 512Gi, pods: 30',
    expected:
      "31: 'tenants[1].budget.memory' is 512Gi; expected at most capacity.spark.maxMemory (256Gi): tenant 'analytics' cannot use more than the Spark nodes provide",
  },
  'unknown object count': {
    from: 'pods: 30,',
    to: 'pods: 30, objects: { ingresses: 2 },',
    expected:
      "31: 'tenants[1].budget.objects.ingresses' is an unknown key (value 2); expected one of: configmaps, services, secrets, persistentvolumeclaims",
  },
  'negative object count': {
    from: 'pods: 30,',
    to: 'pods: 30, objects: { services: -1 },',
    expected: "31: 'tenants[1].budget.objects.services' is -1; expected a whole number >= 0",
  },
  'budget too small for its jobs': {
    from: 'budget: { cpu: 16, memory: 64Gi, pods: 60, guaranteed: { cpu: 8, memory: 32Gi } }',
    to: 'budget: { cpu: 1, memory: 64Gi, pods: 60 }',
    expected:
      "28: 'tenants[0].budget' is { cpu: 1, memory: 64Gi, pods: 60 }; expected a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: trading-compaction (cpu 3 exceeds tenant 'trading' budget.cpu 1), and 4 more jobs",
  },
  // offload: the ClickHouse endpoint and catalog access (the offload's own rules are tested with the offload)
  'ClickHouse host given as a URL': {
    from: 'host: clickhouse.dev.acme.internal',
    to: 'host: https://clickhouse.dev.acme.internal:8443',
    expected:
      "38: 'offload.clickhouse.host' is https://clickhouse.dev.acme.internal:8443; expected a host name or IP address such as clickhouse.example.internal, without scheme, port or path (it is a URL: the scheme goes in protocol, the port in port)",
  },
  'ClickHouse host with a path': {
    from: 'host: clickhouse.dev.acme.internal',
    to: 'host: clickhouse.dev.acme.internal/play',
    expected:
      "38: 'offload.clickhouse.host' is clickhouse.dev.acme.internal/play; expected a host name or IP address such as clickhouse.example.internal, without scheme, port or path",
  },
  'ClickHouse host empty': {
    from: 'host: clickhouse.dev.acme.internal',
    to: "host: ''",
    expected: "38: 'offload.clickhouse.host' is ''; expected a non-empty string",
  },
  'ClickHouse port zero': {
    from: 'port: 8443',
    to: 'port: 0',
    expected: "39: 'offload.clickhouse.port' is 0; expected a whole number >= 1",
  },
  'ClickHouse port above 65535': {
    from: 'port: 8443',
    to: 'port: 70000',
    expected: "39: 'offload.clickhouse.port' is 70000; expected at most 65535",
  },
  'ClickHouse protocol tcp': {
    from: 'protocol: https',
    to: 'protocol: tcp',
    expected: '40: \'offload.clickhouse.protocol\' is tcp; expected one of "http", "https"',
  },
  'ClickHouse open to every address': {
    from: 'cidrs: [10.20.96.0/24]',
    to: 'cidrs: [0.0.0.0/0]',
    expected:
      "41: 'offload.clickhouse.cidrs[0]' is 0.0.0.0/0; expected the block of the ClickHouse hosts, not /0 (that opens the port to every address)",
  },
  'ClickHouse CIDR the whole VPC': {
    from: 'cidrs: [10.20.96.0/24]',
    to: 'cidrs: [10.20.0.0/16]',
    expected:
      "41: 'offload.clickhouse.cidrs[0]' is 10.20.0.0/16; expected a block narrower than the whole VPC (network.vpcCidr 10.20.0.0/16): list the ClickHouse hosts' addresses",
  },
  'ClickHouse CIDR holding the VPC': {
    from: 'cidrs: [10.20.96.0/24]',
    to: 'cidrs: [10.20.96.0/24, 10.0.0.0/8]',
    expected:
      "41: 'offload.clickhouse.cidrs[1]' is 10.0.0.0/8; expected a block narrower than the whole VPC (network.vpcCidr 10.20.0.0/16): list the ClickHouse hosts' addresses",
  },
  'no ClickHouse CIDR': {
    from: 'cidrs: [10.20.96.0/24]',
    to: 'cidrs: []',
    expected: "41: 'offload.clickhouse.cidrs' is []; expected at least 1 item",
  },
  'ClickHouse CIDR without a mask': {
    from: 'cidrs: [10.20.96.0/24]',
    to: 'cidrs: [10.20.96.7]',
    expected: "41: 'offload.clickhouse.cidrs[0]' is 10.20.96.7; expected an IPv4 CIDR block such as 10.0.0.0/16",
  },
  'credentials secret not a DNS name': {
    from: 'name: clickhouse-offload',
    to: 'name: ClickHouse_Offload',
    expected:
      '42: \'offload.clickhouse.credentialsSecret.name\' is ClickHouse_Offload; expected a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  },
  'credentials secret with an unknown key': {
    from: 'passwordKey: password }',
    to: 'passwordKey: password, tokenKey: token }',
    expected:
      "42: 'offload.clickhouse.credentialsSecret.tokenKey' is an unknown key (value token); expected one of: name, userKey, passwordKey",
  },
  'offload run of an unknown tenant': {
    from: 'name: gold\n      tenant: trading',
    to: 'name: gold\n      tenant: tradng',
    expected: "65: 'offload.runs[3].tenant' is tradng; expected one of the tenants (trading, analytics)",
  },
  'offload run name in capitals': {
    from: '- name: raw',
    to: '- name: Raw',
    expected:
      '46: \'offload.runs[0].name\' is Raw; expected a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  },
  'offload lag of zero hours': {
    from: 'lagHours: 1',
    to: 'lagHours: 0',
    expected: "43: 'offload.lagHours' is 0; expected a whole number >= 1",
  },
  'offload into a namespace its tenant does not write': {
    from: 'target: { namespace: trading, table: raw_trades',
    to: 'target: { namespace: analytics, table: raw_trades',
    expected:
      "51: 'offload.runs[0].tables[0].target.namespace' is analytics; expected a namespace tenant 'trading' writes (services.polaris.catalogAccess.trading.write): its jobs write there",
  },
  // jobs
  'image tagged latest': {
    from: 'image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-runtime:0.1.0',
    to: 'image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-runtime:latest',
    expected:
      "84: 'jobs.image' is 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-runtime:latest; expected a pinned tag rather than latest",
  },
  'image without a tag': {
    from: 'image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-runtime:0.1.0',
    to: 'image: spark-runtime',
    expected:
      "84: 'jobs.image' is spark-runtime; expected an image reference with a pinned tag or digest, such as registry/name:1.2.3",
  },
  // datasets
  'data set name in capitals': {
    from: 'datasets:\n  - name: trading',
    to: 'datasets:\n  - name: Trading',
    expected:
      '88: \'datasets[0].name\' is Trading; expected a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  },
  'data set name too long for its job names': {
    from: 'datasets:\n  - name: trading',
    to: 'datasets:\n  - name: trading-market-data-archive-x',
    expected: "88: 'datasets[0].name' is trading-market-data-archive-x; expected a DNS label of at most 26 characters",
  },
  'data set of an unknown tenant': {
    from: '    tenant: trading\n    namespace: trading',
    to: '    tenant: risk\n    namespace: trading',
    expected: "89: 'datasets[0].tenant' is risk; expected one of the tenants (trading, analytics)",
  },
  'data set namespace in capitals': {
    from: '    namespace: trading\n    eventTimeColumn',
    to: '    namespace: Trading\n    eventTimeColumn',
    expected:
      '90: \'datasets[0].namespace\' is Trading; expected an Iceberg namespace: lower-case letters, digits and "_"',
  },
  'event-time column in capitals': {
    from: 'eventTimeColumn: event_ts\n    timeTravel',
    to: 'eventTimeColumn: EventTs\n    timeTravel',
    expected:
      '91: \'datasets[0].eventTimeColumn\' is EventTs; expected a column name: lower-case letters, digits and "_"',
  },
  'time travel in words': {
    from: DATASET,
    to: 'timeTravel: "7 days"',
    expected:
      '92: \'datasets[0].timeTravel\' is "7 days"; expected a duration for the time-travel window such as 30m, 24h or 7d',
  },
  'time travel beyond the default retention': {
    from: DATASET,
    to: 'timeTravel: 14d',
    expected:
      '88: \'datasets[0].maintenance.snapshotExpiry.retention\' is "7d" (the default); expected at least the time-travel window the data set promises (timeTravel 14d): older snapshots are promised to readers',
  },
  'data set without tables': {
    from: DEV_TABLES,
    to: 'tables: []',
    expected: "93: 'datasets[0].tables' is []; expected at least one table",
  },
  'table listed twice': {
    from: 'gold_ohlcv_1h, gold_ohlcv_1d]',
    to: 'gold_ohlcv_1h, gold_ohlcv_1d, raw_trades]',
    expected: "93: 'datasets[0].tables[9]' is raw_trades; expected a table name not already listed",
  },
  'table maintained by two data sets': {
    from: '\nservices:',
    to: '\n  - { name: again, tenant: trading, namespace: trading, tables: [raw_trades] }\nservices:',
    expected: "94: 'datasets[1].tables[0]' is raw_trades; expected a table not already maintained by datasets[0]",
  },
  'retention in words': {
    ...maintenance('{ snapshotExpiry: { retention: 1 week } }'),
    expected:
      "93: 'datasets[0].maintenance.snapshotExpiry.retention' is 1 week; expected a duration for the snapshot retention such as 30m, 24h or 7d",
  },
  'retention under the time travel': {
    ...maintenance('{ snapshotExpiry: { retention: 3d } }'),
    expected:
      "93: 'datasets[0].maintenance.snapshotExpiry.retention' is 3d; expected at least the time-travel window the data set promises (timeTravel 7d): older snapshots are promised to readers",
  },
  'too few snapshots kept': {
    ...maintenance('{ snapshotExpiry: { retainLast: 5 } }'),
    expected:
      "93: 'datasets[0].maintenance.snapshotExpiry.retainLast' is 5; expected at least 24 (a day of hourly offload snapshots, so the offload watermark survives)",
  },
  'orphan age in words': {
    ...maintenance('{ orphanCleanup: { olderThan: 3 days } }'),
    expected:
      "93: 'datasets[0].maintenance.orphanCleanup.olderThan' is 3 days; expected a duration for the orphan-file age such as 30m, 24h or 7d",
  },
  'orphan age under 24 hours': {
    ...maintenance('{ orphanCleanup: { olderThan: 12h } }'),
    expected:
      "93: 'datasets[0].maintenance.orphanCleanup.olderThan' is 12h; expected at least 24h: younger files may belong to a write still in progress, and Iceberg refuses less",
  },
  'audit look-back in words': {
    ...maintenance('{ audit: { lookback: forever } }'),
    expected:
      "93: 'datasets[0].maintenance.audit.lookback' is forever; expected a duration for the audit look-back such as 30m, 24h or 7d",
  },
  'audit look-back within the skipped hours': {
    ...maintenance('{ audit: { lookback: 2h } }'),
    expected: "93: 'datasets[0].maintenance.audit.lookback' is 2h; expected longer than audit.skipRecentHours (3 h)",
  },
  'audit table in capitals': {
    ...maintenance('{ audit: { table: Audit } }'),
    expected:
      '93: \'datasets[0].maintenance.audit.table\' is Audit; expected an Iceberg table name: lower-case letters, digits and "_"',
  },
  'target file size in words': {
    ...maintenance('{ compaction: { targetFileSize: big } }'),
    expected:
      "93: 'datasets[0].maintenance.compaction.targetFileSize' is big; expected a Kubernetes quantity for the target file size (e.g. 4, 500m, 64Gi)",
  },
  'target file size under 1Mi': {
    ...maintenance('{ compaction: { targetFileSize: 512Ki } }'),
    expected:
      "93: 'datasets[0].maintenance.compaction.targetFileSize' is 512Ki; expected a size of at least 1Mi, such as 512Mi",
  },
  'compaction skipping no hour': {
    ...maintenance('{ compaction: { skipRecentHours: 0 } }'),
    expected: "93: 'datasets[0].maintenance.compaction.skipRecentHours' is 0; expected a whole number >= 1",
  },
  'six-field cron': {
    ...maintenance("{ compaction: { schedule: '0 0 2 * * *' } }"),
    expected:
      "93: 'datasets[0].maintenance.compaction.schedule' is '0 0 2 * * *'; expected a robfig/cron schedule (expected exactly 5 fields, found 6: [0 0 2 * * *])",
  },
  'expected duration in words': {
    ...maintenance('{ compaction: { expectedDuration: 20 minutes } }'),
    expected:
      "93: 'datasets[0].maintenance.compaction.expectedDuration' is 20 minutes; expected a duration for the run such as 30m, 24h or 7d",
  },
  'misspelt maintenance key': {
    ...maintenance('{ compation: { skipRecentHours: 4 } }'),
    expected:
      "93: 'datasets[0].maintenance.compation' is an unknown key (value { skipRecentHours: 4 }); expected one of: compaction, snapshotExpiry, orphanCleanup, manifestRewrite, audit",
  },
  // catalog access
  "writing another tenant's namespace without consent": {
    ...access('      analytics: { write: [analytics, trading] }'),
    expected:
      "98: 'services.polaris.catalogAccess.analytics.write[1]' is trading; expected a namespace tenant 'analytics' owns, or one whose owner consents: namespace \"trading\" belongs to tenant 'trading', which must list 'analytics' in services.polaris.catalogAccess.trading.grantWrite.trading",
  },
  'consent for a namespace the tenant does not own': {
    from: 'trading: { write: [trading] }',
    to: 'trading: { write: [trading], grantWrite: { analytics: [analytics] } }',
    expected:
      "97: 'services.polaris.catalogAccess.trading.grantWrite.analytics' is [analytics]; expected a namespace tenant 'trading' owns (it can only consent for its own namespaces)",
  },
  'consent to an unknown tenant': {
    from: 'trading: { write: [trading] }',
    to: 'trading: { write: [trading], grantWrite: { trading: [risk] } }',
    expected:
      "97: 'services.polaris.catalogAccess.trading.grantWrite.trading[0]' is risk; expected another tenant (analytics)",
  },
  'access for an unknown tenant': {
    ...access('      analytics: { write: [analytics] }\n      risk: { read: [trading] }'),
    expected:
      "99: 'services.polaris.catalogAccess.risk' is { read: [trading] }; expected an entry for one of the tenants (trading, analytics)",
  },
  'a namespace both read and written': {
    ...access('      analytics: { read: [analytics], write: [analytics] }'),
    expected:
      "98: 'services.polaris.catalogAccess.analytics.read[0]' is analytics; expected a namespace not also in write (write includes read)",
  },
  'access granting nothing': {
    ...access('      analytics: {}'),
    expected: "98: 'services.polaris.catalogAccess.analytics' is {}; expected at least one namespace to write or read",
  },
  'namespace in capitals': {
    ...access('      analytics: { read: [Trading], write: [analytics] }'),
    expected:
      '98: \'services.polaris.catalogAccess.analytics.read[0]\' is Trading; expected an Iceberg namespace: lower-case letters, digits, "_" and "-"',
  },
  'data set in a namespace its tenant does not write': {
    from: '    namespace: trading\n    eventTimeColumn',
    to: '    namespace: analytics\n    eventTimeColumn',
    expected:
      "90: 'datasets[0].namespace' is analytics; expected a namespace tenant 'trading' writes (services.polaris.catalogAccess.trading.write): its jobs write there",
  },
  // services
  'misspelt Polaris key': {
    from: '  polaris:\n    catalogAccess:',
    to: '  polaris:\n    replica: 2\n    catalogAccess:',
    expected:
      "96: 'services.polaris.replica' is an unknown key (value 2); expected one of: replicas, resources, catalogAccess",
  },
  'no Polaris replica': {
    from: '  polaris:\n    catalogAccess:',
    to: '  polaris:\n    replicas: 0\n    catalogAccess:',
    expected: "96: 'services.polaris.replicas' is 0; expected a whole number >= 1",
  },
  'request above its limit': {
    from: '  polaris:\n    catalogAccess:',
    to: '  polaris:\n    resources: { requests: { cpu: 2, memory: 1Gi }, limits: { cpu: 1, memory: 1Gi } }\n    catalogAccess:',
    expected:
      "96: 'services.polaris.resources' is { requests: { cpu: 2, memory: 1Gi }, limits: { cpu: 1, memory: 1Gi } }; expected requests no greater than limits (requests.cpu 2 exceeds limits.cpu 1)",
  },
  'prod: history server memory in GB': {
    base: 'prod',
    from: "requests: { cpu: '1', memory: 4Gi }, limits: { cpu: '2', memory: 4Gi } }\n",
    to: "requests: { cpu: '1', memory: 4GB }, limits: { cpu: '2', memory: 4Gi } }\n",
    expected:
      "117: 'services.historyServer.resources.requests.memory' is 4GB; expected a Kubernetes quantity for memory (e.g. 4, 500m, 64Gi)",
  },
  // YAML
  'duplicate key': {
    from: 'region: eu-west-1',
    to: 'region: eu-west-1\nregion: eu-west-2',
    expected: '5: YAML syntax error: the key "region" appears twice in one mapping; expected each key once',
  },
  'tab indentation': {
    from: '  realm: POLARIS',
    to: '\trealm: POLARIS',
    expected:
      '21: YAML syntax error: Tabs are not allowed as indentation; expected spaces for indentation (YAML forbids tabs)',
  },
  'unclosed flow mapping': {
    from: 'natGateways: single }',
    to: 'natGateways: single',
    expected:
      '6: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }; expected items of one mapping or list starting at the same column, and [...] or {...} closed and indented past its key',
  },
  'unclosed quote': {
    from: 'realm: POLARIS',
    to: 'realm: "POLARIS',
    expected: '103: YAML syntax error: Missing closing "quote; expected the closing bracket, brace or quote',
  },
  'two documents': {
    from: 'catalog:',
    to: '---\ncatalog:',
    expected:
      '20: YAML syntax error: Source contains multiple documents; please use YAML.parseAllDocuments(); expected one YAML document (no "---" separator)',
  },
  'alias without its anchor': {
    from: 'realm: POLARIS',
    to: 'realm: *realm',
    expected:
      '21: YAML alias error: Unresolved alias (the anchor must be set before the alias): realm; expected an alias to an anchor defined earlier in the file',
  },
  'alias bomb': {
    from: 'region: eu-west-1',
    to: 'region: eu-west-1\nx0: &a [x, x, x, x, x, x, x, x, x, x]\nx1: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx2: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nx3: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    expected:
      '6: YAML alias error: Excessive alias count indicates a resource exhaustion attack; expected a file without aliases, or at most 100 alias expansions',
  },
  'bad escape': {
    from: 'realm: POLARIS',
    to: 'realm: "POL\\qARIS"',
    expected:
      '21: YAML syntax error: Invalid escape sequence \\q; expected a valid escape in the double-quoted string (\\n, \\t, \\", \\\\), or single quotes',
  },
  'value starting with a reserved character': {
    from: 'realm: POLARIS',
    to: 'realm: @POLARIS',
    expected:
      '21: YAML syntax error: Plain value cannot start with reserved character @; expected a quoted value (a plain value cannot start with @ or `)',
  },
};
