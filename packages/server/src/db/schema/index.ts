// The relational model, one file per domain.

export * from './audit.js';
export * from './contracts.js';
export * from './enclave.js';
export * from './events.js';
export * from './files.js';
export * from './idempotency.js';
export * from './ledger.js';
export * from './templates.js';
export * from './users.js';
export * from './webhooks.js';
