// The relational model, one file per domain.
export * from './users.js';
export * from './contracts.js';
export * from './audit.js';
export * from './ledger.js';
export * from './idempotency.js';
export * from './events.js';
