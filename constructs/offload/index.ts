export * from './clickhouse-offload';
export * from './plan';
