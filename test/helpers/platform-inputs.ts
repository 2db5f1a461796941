/** Stand-ins for the AWS layer's outputs that the platform services take. */
export const AWS_INPUTS = {
  polarisDatabase: {
    jdbcUrl: 'jdbc:postgresql://polaris.cluster-abc.eu-west-1.rds.amazonaws.com:5432/polaris?sslmode=require',
    username: 'polaris',
    password: 'mock-db-password',
  },
  catalogStorage: {
    roleArn: 'arn:aws:iam::123456789012:role/polaris-catalog',
    externalId: 'mockexternalid',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/mock',
  },
};
