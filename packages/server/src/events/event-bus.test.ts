import { describe, expect, it } from 'vitest';
import { type EventNotice, noticeConcerns, parseNotice } from './event-bus.js';
import { createMemoryEventBus } from './memory-event-bus.js';

const notice: EventNotice = { eventId: 9, organizationIds: ['org-a'], partyDids: ['did:key:party'] };

describe('event notices', () => {
  it('concern members of the owning organization and the parties, nobody else', () => {
    expect(noticeConcerns(notice, 'org-a', 'did:key:member')).toBe(true);
    expect(noticeConcerns(notice, 'org-b', 'did:key:party')).toBe(true);
    expect(noticeConcerns(notice, 'org-b', 'did:key:other')).toBe(false);
  });

  it('parse only well-formed notices from the wire', () => {
    expect(parseNotice(JSON.stringify(notice))).toEqual(notice);
    for (const bad of [
      'nope',
      '{}',
      JSON.stringify({ ...notice, eventId: '9' }),
      JSON.stringify({ ...notice, partyDids: [1] }),
    ])
      expect(parseNotice(bad)).toBeUndefined();
  });

  it('reach every subscriber of the in-process bus until it unsubscribes', async () => {
    const bus = createMemoryEventBus();
    const a: EventNotice[] = [];
    const b: EventNotice[] = [];
    bus.subscribe((n) => a.push(n));
    const stopB = bus.subscribe((n) => b.push(n));
    bus.publish(notice);
    await Promise.resolve();
    stopB();
    bus.publish({ ...notice, eventId: 10 });
    await Promise.resolve();
    expect(a.map((n) => n.eventId)).toEqual([9, 10]);
    expect(b.map((n) => n.eventId)).toEqual([9]);
    await bus.close();
  });
});
