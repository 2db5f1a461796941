/** Stand-ins for the AWS layer's outputs that the platform services take. */
export const AWS_INPUTS = {
  polarisDatabase: { host: 'polaris.cluster-abc.eu-west-1.rds.amazonaws.com', port: 5432, name: 'polaris', username: 'polaris', password: 'mock-db-password' },
  catalogRoleArn: 'arn:aws:iam::123456789012:role/polaris-catalog',
};
