// Parsers for option and argument values (commander calls them; their errors are usage errors, exit 2).
import { InvalidArgumentError } from 'commander';

export const positiveInteger = (value: string): number => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
};

export const nonNegativeInteger = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of seconds');
  return Number(value);
};

export const isoDateTime = (value: string): string => {
  if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d\d-\d\dT/.test(value))
    throw new InvalidArgumentError('expected an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z');
  return value;
};

/** A repeatable option: every value, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
