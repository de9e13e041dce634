import { registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * A calendar date with an optional time of day and offset: 2026-11-29, 2026-11-29T10:00Z, 2026-11-29T10:00:00.250+08:00.
 * Narrower than ISO 8601 on purpose: week dates (2026-W05), ordinal dates (2026-035) and the basic format (20260101)
 * pass class-validator's IsISO8601 but not `new Date()`, and 2026-02-30 would roll over into March.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

export function parseDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The property is a date-time `parseDateTime` reads (a query's `from` or `to`). */
export function IsDateTime(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ property }: ValidationArguments) => `${property} must be a date-time such as 2026-11-29T10:00:00Z` },
      validator: { validate: (value: unknown) => parseDateTime(value) !== undefined },
    });
}

/** The property (a range's start) is not after the sibling `end` property, or after now when that is absent. */
export function IsNotAfter(end: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotAfter',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ property }: ValidationArguments) => `${property} must not be after ${end} (or after now when ${end} is not given)` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const start = parseDateTime(value);
          const endValue = (args.object as Record<string, unknown>)[end];
          const until = endValue === undefined ? new Date() : parseDateTime(endValue);
          // A malformed date is IsDateTime's to report.
          return !start || !until || start <= until;
        },
      },
    });
}
