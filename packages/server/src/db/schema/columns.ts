import { timestamp } from 'drizzle-orm/pg-core';

/** `timestamptz` columns as JS Dates. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => timestamptz('created_at').notNull().defaultNow();
