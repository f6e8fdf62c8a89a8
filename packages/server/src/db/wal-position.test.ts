import { describe, expect, it } from 'vitest';
import { lsnFromKey, lsnKey, parseLsn, visibleAt } from './wal-position.js';

describe('WAL positions', () => {
  it('parses X/Y into a number that orders like the WAL, and keys that order the same as text', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    const positions = ['0/FFFFFFFF', '1/0', '0/3000148', 'A/1', '9/FFFFFFFF'].map(parseLsn);
    const byNumber = [...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect([...positions].map(lsnKey).sort()).toEqual(byNumber.map(lsnKey));
    for (const p of positions) expect(lsnFromKey(lsnKey(p))).toBe(p);
    expect(() => parseLsn('3000148')).toThrow('not a WAL position');
  });

  it('maps an insert position just past a page header to the page start, and nothing else', () => {
    expect(visibleAt(0x3002018n)).toBe(0x3002000n); // 24-byte short header of page 0x3002000
    expect(visibleAt(0x3002020n)).toBe(0x3002020n);
    expect(visibleAt(0x3002000n)).toBe(0x3002000n);
    expect(visibleAt(0x3000028n)).toBe(0x3000028n); // offset 40 may be a real record end: left alone
  });
});
