import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsDateTime, IsNotAfter, parseDateTime } from './date-time';

class RangeDto {
  @IsOptional()
  @IsDateTime()
  @IsNotAfter('to')
  from?: string;

  @IsOptional()
  @IsDateTime()
  to?: string;
}

const problems = (query: object) =>
  validateSync(plainToInstance(RangeDto, query)).flatMap((e) => Object.values(e.constraints ?? {}).map((message) => [e.property, message]));

describe('parseDateTime', () => {
  it.each(['2026-11-29', '2026-11-29T10:00Z', '2026-11-29T10:00:00Z', '2026-11-29T10:00:00.250+08:00', '2024-02-29T00:00:00Z'])('reads %s', (value) => {
    expect(parseDateTime(value)).toBeInstanceOf(Date);
  });

  it.each(['2026-W05', '2026-035', '20260101', '2026-02-30', '2025-02-29', '2026-13-01', '2026-11-29T25:00Z', 'yesterday', ''])('refuses %s', (value) => {
    expect(parseDateTime(value)).toBeUndefined();
  });
});

describe('IsDateTime and IsNotAfter', () => {
  it('accepts a range in order, or either end alone', () => {
    expect(problems({ from: '2026-11-29T10:00:00Z', to: '2026-11-29T11:00:00Z' })).toEqual([]);
    expect(problems({ from: '2026-11-29T10:00:00Z' })).toEqual([]);
    expect(problems({ to: '2099-01-01' })).toEqual([]);
  });

  it('names a date-time new Date() cannot read', () => {
    expect(problems({ from: '2026-W05' })).toEqual([['from', 'from must be a date-time such as 2026-11-29T10:00:00Z']]);
  });

  it('names a start after the end, or after now without one', () => {
    expect(problems({ from: '2026-11-29T12:00:00Z', to: '2026-11-29T11:00:00Z' })).toEqual([
      ['from', 'from must not be after to (or after now when to is not given)'],
    ]);
    expect(problems({ from: '2099-01-01T00:00:00Z' })).toEqual([['from', 'from must not be after to (or after now when to is not given)']]);
  });
});
