// RFC 8785 JSON Canonicalization Scheme: sorted keys (by UTF-16 code units), no whitespace, ECMAScript
// number and string serialization. Rejects what JSON cannot represent instead of silently dropping it.
// Kept rather than `canonicalize`: it passes RFC 8785's own examples and number samples (the tests) and
// is smaller (23 lines; `canonicalize` also walks `toJSON` and guards cycles, which signed payloads never need).

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot represent NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (/\p{Surrogate}/u.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
      throw new TypeError('canonical JSON cannot represent lone surrogates');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${canonicalJson(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
}
