import { BadRequestException, HttpStatus } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemException } from '../errors/problem';
import { ackFromException } from './ws-ack';
import { WsEventRunner, type EventSocket } from './ws-events';
import { TokenBucketLimiter } from './ws-rate-limiter';
import { validatePayload } from './ws-validation';

class PitchDto {
  @IsInt()
  @Min(0)
  @Max(127)
  pitch!: number;
}

class NamedDto {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  name?: string;

  @IsOptional()
  @IsInt()
  tempo?: number;
}

function problemOf(run: () => unknown): ProblemException {
  try {
    run();
  } catch (error) {
    return error as ProblemException;
  }
  throw new Error('expected a ProblemException');
}

function socket(id = 's1'): EventSocket & { emitted: unknown[][] } {
  const emitted: unknown[][] = [];
  return { id, emitted, emit: (...args: unknown[]) => emitted.push(args) };
}

describe('validatePayload', () => {
  it('returns the DTO instance for a valid payload', () => {
    expect(validatePayload(PitchDto, { pitch: 60 })).toBeInstanceOf(PitchDto);
  });

  it('throws a 400 naming every bad or unknown field', () => {
    expect.assertions(2);
    try {
      validatePayload(PitchDto, { pitch: 300, extra: true });
    } catch (error) {
      expect((error as ProblemException).getStatus()).toBe(400);
      expect((error as ProblemException).problem.errors?.map((e) => e.field).sort()).toEqual(['extra', 'pitch']);
    }
  });

  it('refuses payloads that are not objects', () => {
    for (const payload of ['x', 42, [1, 2], true]) expect(() => validatePayload(PitchDto, payload)).toThrow(ProblemException);
  });

  it('refuses text the database cannot store and prototype keys, naming the field, as the HTTP pipe does', () => {
    const nul = problemOf(() => validatePayload(NamedDto, { name: 'a\u0000b' }));
    expect(nul.getStatus()).toBe(400);
    expect(nul.problem.errors).toEqual([{ field: 'name', message: 'name contains a NUL character' }]);
    expect(problemOf(() => validatePayload(NamedDto, JSON.parse('{"__proto__": {"tempo": 1}}'))).problem.errors?.[0].field).toBe('__proto__');
  });

  it('reads a null field as absent', () => {
    expect(validatePayload(NamedDto, { name: 'Ann', tempo: null })).toEqual(Object.assign(new NamedDto(), { name: 'Ann' }));
  });
});

describe('ackFromException', () => {
  it('keeps the status and message of HTTP errors and hides everything else behind a 500', () => {
    expect(ackFromException(new BadRequestException('bad pitch'))).toEqual({ ok: false, error: { status: 400, title: 'Bad Request', detail: 'bad pitch' } });
    expect(ackFromException(new ProblemException(HttpStatus.CONFLICT, 'full'))).toMatchObject({
      ok: false,
      error: { status: 409, title: 'Conflict', detail: 'full' },
    });
    const hidden = ackFromException(new Error('ECONNREFUSED /var/run/secret'));
    expect(hidden).toEqual({ ok: false, error: { status: 500, title: 'Internal Server Error', detail: 'The server could not handle this event.' } });
  });
});

describe('TokenBucketLimiter', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(10, 3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
    expect(limiter.take('b').allowed).toBe(true);
    now += 100; // one token back at 10/s
    expect(limiter.take('a')).toEqual({ allowed: true, retryAfterSec: 0 });
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSec: 1 });
    limiter.forget('a');
    expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('WsEventRunner', () => {
  it('acks a handler result as { ok: true, ... } synchronously', () => {
    const runner = new WsEventRunner({ ratePerSec: 100, burst: 100 });
    const acks: unknown[] = [];
    runner.run(
      socket(),
      'note',
      { pitch: 60 },
      (a) => acks.push(a),
      PitchDto,
      (dto) => ({ heard: dto.pitch }),
    );
    expect(acks).toEqual([{ ok: true, heard: 60 }]);
  });

  it('answers a bad payload with an error ack, or an error event without a callback, and never calls the handler', () => {
    const runner = new WsEventRunner({ ratePerSec: 100, burst: 100 });
    const handler = jest.fn(() => ({}));
    const acks: unknown[] = [];
    const s = socket();
    runner.run(s, 'note', { pitch: -1 }, (a) => acks.push(a), PitchDto, handler);
    runner.run(s, 'note', { pitch: 'x' }, undefined, PitchDto, handler);
    expect(handler).not.toHaveBeenCalled();
    expect(acks).toEqual([{ ok: false, error: expect.objectContaining({ status: 400, title: 'Bad Request' }) as unknown }]);
    expect(s.emitted).toEqual([['error', { event: 'note', error: expect.objectContaining({ status: 400 }) as unknown }]]);
  });

  it('acks an async failure and reports unexpected errors without exposing them', async () => {
    const unexpected = jest.fn();
    const runner = new WsEventRunner({ ratePerSec: 100, burst: 100, onUnexpected: unexpected });
    const acks: unknown[] = [];
    runner.run(
      socket(),
      'room:join',
      { pitch: 1 },
      (a) => acks.push(a),
      PitchDto,
      () => Promise.reject(new Error('redis exploded')),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(acks).toEqual([{ ok: false, error: { status: 500, title: 'Internal Server Error', detail: 'The server could not handle this event.' } }]);
    expect(unexpected).toHaveBeenCalledWith('room:join', expect.any(Error));
  });

  it('rate-limits per socket with 429 acks, and tells a socket without acks at most once a second', () => {
    const runner = new WsEventRunner({ ratePerSec: 1, burst: 2 });
    const flooder = socket('flooder');
    const other = socket('other');
    const handler = jest.fn(() => ({}));
    for (let i = 0; i < 10; i += 1) runner.run(flooder, 'note', { pitch: 60 }, undefined, PitchDto, handler);
    expect(handler).toHaveBeenCalledTimes(2);
    expect(flooder.emitted).toEqual([['error', { event: 'note', error: expect.objectContaining({ status: 429, retryAfterSec: 1 }) as unknown }]]);
    const acks: unknown[] = [];
    runner.run(flooder, 'note', { pitch: 60 }, (a) => acks.push(a), PitchDto, handler);
    expect(acks).toEqual([{ ok: false, error: expect.objectContaining({ status: 429, title: 'Too Many Requests' }) as unknown }]);
    runner.run(other, 'note', { pitch: 60 }, (a) => acks.push(a), PitchDto, handler);
    expect(acks[1]).toEqual({ ok: true });
  });

  it('sends the error event to a flooder that asks for acks too (once a second), beside each 429 ack', () => {
    const runner = new WsEventRunner({ ratePerSec: 1, burst: 1 });
    const flooder = socket('acked');
    const acks: { ok: boolean }[] = [];
    for (let i = 0; i < 5; i += 1)
      runner.run(
        flooder,
        'note',
        { pitch: 60 },
        (a) => acks.push(a as { ok: boolean }),
        PitchDto,
        () => ({}),
      );
    expect(acks.map((a) => a.ok)).toEqual([true, false, false, false, false]);
    expect(flooder.emitted).toEqual([['error', { event: 'note', error: expect.objectContaining({ status: 429 }) as unknown }]]);
  });

  it('answers an unknown event with 404, by ack or error event', () => {
    const runner = new WsEventRunner({ ratePerSec: 100, burst: 100 });
    const s = socket();
    const acks: unknown[] = [];
    runner.unknown(s, 'room:explode', [{ x: 1 }, (a: unknown) => acks.push(a)]);
    runner.unknown(s, 'nope', []);
    expect(acks).toEqual([{ ok: false, error: expect.objectContaining({ status: 404, detail: 'There is no event named room:explode.' }) as unknown }]);
    expect(s.emitted).toEqual([['error', { event: 'nope', error: expect.objectContaining({ status: 404 }) as unknown }]]);
  });
});
