import { z } from 'zod';
import { BUCKET_NAME_EXPECTED, bucketNameProblem } from '../bucket-name';
import { count, quantity } from './common';
import { crossFieldRule, valueRule } from './rules';

/** Node capacity the environment declares; tenant budgets are checked against it and the AWS layer provisions it. */
export const CapacitySchema = z.strictObject({
  /** The on-demand node group that runs the operators, Polaris and the History Server. */
  system: z
    .strictObject({
      /** EC2 instance types of the system node group. */
      instanceTypes: z
        .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as m6i.large'))
        .min(1, 'at least one instance type'),
      /** Nodes kept running at all times. */
      minNodes: count(1),
      /** Upper bound of the system node group. */
      maxNodes: count(1),
    })
    .check(
      crossFieldRule<{ minNodes: number; maxNodes: number }>([['minNodes'], ['maxNodes']], (system) =>
        system.minNodes > system.maxNodes
          ? [
              {
                path: ['minNodes'],
                expected: `at most maxNodes (${system.maxNodes}): the node group cannot keep more nodes than its upper bound`,
              },
            ]
          : [],
      ),
    ),
  /** Autoscaled Spark capacity (scales to zero when no job runs). */
  spark: z.strictObject({
    /** Most CPU cores Spark nodes may add up to. */
    maxCpu: quantity('cpu'),
    /** Most memory Spark nodes may add up to. */
    maxMemory: quantity('memory'),
  }),
});

/** An S3 bucket name S3 accepts. */
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, BUCKET_NAME_EXPECTED)
  .check(valueRule(bucketNameProblem));

/** Object storage: bucket names are explicit so synthesized objects can name them without waiting for the cloud. */
export const StorageSchema = z
  .strictObject({
    /** S3 bucket holding the Iceberg warehouse. */
    warehouseBucket: bucketName,
    /** S3 bucket receiving Spark event logs (read by the History Server); not the warehouse. */
    eventLogBucket: bucketName,
  })
  .check(
    crossFieldRule<{ warehouseBucket: string; eventLogBucket: string }>([[]], (storage) =>
      storage.eventLogBucket === storage.warehouseBucket
        ? [{ path: ['eventLogBucket'], expected: EVENT_LOG_BUCKET_EXPECTED }]
        : [],
    ),
  );

/** Why the event logs need their own bucket. */
export const EVENT_LOG_BUCKET_EXPECTED =
  'a bucket other than storage.warehouseBucket (event logs expire by lifecycle rule; the warehouse must not)';

/** The Polaris catalog every tenant's jobs use. */
export const CatalogSchema = z.strictObject({
  /** Polaris realm. */
  realm: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a realm name such as POLARIS'),
  /** Polaris catalog name (the Iceberg `warehouse`). */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a catalog name: lower-case letters, digits and "_"'),
});
