import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { FieldError, fieldProblem, fieldsProblem, ProblemException } from '../../core/errors/problem';
import { MAX_DETECT_POINTS, MAX_MINE_LINES } from '../engine';

/** A validated series, as two arrays that can be handed to a worker thread without copying. */
export interface SeriesArrays {
  timestamps: Float64Array;
  values: Float64Array;
}

function badRequest(field: string, message: string): ProblemException {
  return fieldProblem(field, `${field} ${message}`);
}

function tooMany(field: string, count: number, max: number): ProblemException {
  return fieldProblem(field, `${field} has ${count} entries; at most ${max} are accepted`, { status: HttpStatus.PAYLOAD_TOO_LARGE });
}

function objectBody(body: unknown, allowed: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(allowed, 'is required (send a JSON object)');
  const extra = Object.keys(body).filter((key) => key !== allowed);
  if (extra.length) throw fieldsProblem(extra.map((key) => ({ field: key, message: `property ${key} should not exist` })));
  return body as Record<string, unknown>;
}

/** At most this many bad fields are listed in one answer (a broken 200,000-point series must not make a 20 MB error). */
const MAX_LISTED_ERRORS = 20;

/**
 * `{ points: [{ timestamp, value }] }` → typed arrays, in one pass. 400 naming each bad field (`points[17].value`),
 * 413 naming `points` when there are more than 200,000.
 */
export function parseDetectBody(body: unknown): SeriesArrays {
  const { points } = objectBody(body, 'points');
  if (!Array.isArray(points)) throw badRequest('points', 'must be an array of { timestamp, value }');
  if (points.length === 0) throw badRequest('points', 'must not be empty');
  if (points.length > MAX_DETECT_POINTS) throw tooMany('points', points.length, MAX_DETECT_POINTS);
  const timestamps = new Float64Array(points.length);
  const values = new Float64Array(points.length);
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message: `${field} ${message}` });
  for (let i = 0; i < points.length && errors.length < MAX_LISTED_ERRORS; i++) {
    const point = points[i] as { timestamp?: unknown; value?: unknown } | null;
    if (typeof point !== 'object' || point === null || Array.isArray(point)) {
      fail(`points[${i}]`, 'must be an object { timestamp, value }');
      continue;
    }
    const { timestamp, value } = point;
    const t = typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
    if (!Number.isFinite(t)) fail(`points[${i}].timestamp`, 'must be an ISO-8601 date string or epoch milliseconds');
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(`points[${i}].value`, 'must be a finite number');
    timestamps[i] = t;
    values[i] = value as number;
  }
  if (errors.length) throw fieldsProblem(errors);
  return { timestamps, values };
}

/** `{ lines: [string] }` → the lines. 400 naming each bad field (`lines[3]`), 413 naming `lines` beyond 50,000. */
export function parseLinesBody(body: unknown): string[] {
  const { lines } = objectBody(body, 'lines');
  if (!Array.isArray(lines)) throw badRequest('lines', 'must be an array of strings');
  if (lines.length === 0) throw badRequest('lines', 'must not be empty');
  if (lines.length > MAX_MINE_LINES) throw tooMany('lines', lines.length, MAX_MINE_LINES);
  const errors: FieldError[] = [];
  for (let i = 0; i < lines.length && errors.length < MAX_LISTED_ERRORS; i++) {
    if (typeof lines[i] !== 'string') errors.push({ field: `lines[${i}]`, message: `lines[${i}] must be a string` });
  }
  if (errors.length) throw fieldsProblem(errors);
  return lines as string[];
}

/** Param pipes; the handler parameter is typed as an interface, so the global ValidationPipe leaves the body to these. */
@Injectable()
export class DetectBodyPipe implements PipeTransform<unknown, SeriesArrays> {
  transform(body: unknown): SeriesArrays {
    return parseDetectBody(body);
  }
}

@Injectable()
export class LinesBodyPipe implements PipeTransform<unknown, string[]> {
  transform(body: unknown): string[] {
    return parseLinesBody(body);
  }
}
