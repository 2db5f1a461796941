export * from './scrape-targets';
export * from './monitoring-plan';
export * from './alert-rules';
export * from './dashboards';
export * from './data-plane-monitors';
export * from './data-plane-alerts';
export * from './data-plane-dashboards';
export * from './scrape-network-policies';
