export * from './add-offloads';
export * from './clickhouse-offload';
