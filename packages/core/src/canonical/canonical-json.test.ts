import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('matches the RFC 8785 reference implementation on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normalized = JSON.parse(JSON.stringify(value)); // -0 → 0, as JSON has it
        expect(canonicalJson(normalized)).toBe((canonicalize as unknown as (v: unknown) => string)(normalized));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys by UTF-16 code units and serializes numbers the ECMAScript way', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.000001, 1.5e-7], '\u20ac': 'x', '\ud83d\ude00': 'y', A: true })).toBe(
      '{"A":true,"a":[1e+21,0.000001,1.5e-7],"b":1,"\u20ac":"x","\ud83d\ude00":"y"}',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('NaN or Infinity');
    expect(() => canonicalJson('\ud800')).toThrow('lone surrogates');
    expect(() => canonicalJson(10n)).toThrow('bigint');
  });
});
