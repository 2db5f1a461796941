export * from './clickhouse-offload';
export * from './egress';
export * from './plan';
