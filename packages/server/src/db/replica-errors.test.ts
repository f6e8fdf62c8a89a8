import { describe, expect, it } from 'vitest';
import { isRecoveryConflict, isReplicaUnavailable } from './replica-errors.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('replica errors', () => {
  it('ejects for connection failures, shutdowns and refusals, also when drizzle wraps them', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('53300', 'sorry, too many clients already'),
      pgError('08006', 'connection failure'),
      new Error('Failed query: select 1', { cause: new Error('Connection terminated due to connection timeout') }),
    ])
      expect(isReplicaUnavailable(e), e.message).toBe(true);
  });

  it('lets query errors through to the caller', () => {
    for (const e of [
      pgError('42P01', 'relation "nope" does not exist'),
      pgError('22P02', 'invalid input syntax for type uuid'),
      new Error('Failed query: x', { cause: pgError('23505', 'duplicate key') }),
      null,
      'text',
    ]) {
      expect(isReplicaUnavailable(e)).toBe(false);
    }
  });

  it('recognises a hot-standby conflict, which the primary answers without ejecting the replica', () => {
    expect(isRecoveryConflict(pgError('40001', 'canceling statement due to conflict with recovery'))).toBe(true);
    expect(isRecoveryConflict(pgError('40001', 'could not serialize access due to concurrent update'))).toBe(false);
    expect(isReplicaUnavailable(pgError('40001', 'canceling statement due to conflict with recovery'))).toBe(false);
  });
});
