import { customType, timestamp } from 'drizzle-orm/pg-core';

/** `timestamptz` columns as JS Dates. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => timestamptz('created_at').notNull().defaultNow();

/** `bytea` columns as bytes (Buffer from pg, Uint8Array from PGlite). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
