import { HttpTestingController } from '@angular/common/http/testing';
import { DestroyRef, EnvironmentInjector, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeEventSource, signedInWithFakeEventSource } from '../../../testing/fake-event-source';
import { makeSession, problemBody, settle } from '../../../testing/test-helpers';
import { AuthStore } from '../auth/auth.store';
import { EventStream, EventStreams, STREAM_RETRY_MS } from './event-stream';

interface Tick {
  n: number;
}

const messages = { unavailable: 'The source is not answering.', stopped: 'Updates stopped.' };

describe('EventStreams', () => {
  let http: HttpTestingController;
  let streams: EventStreams;
  let ticks: number[];

  beforeEach(() => {
    http = signedInWithFakeEventSource();
    streams = TestBed.inject(EventStreams);
    ticks = [];
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  function open(destroyRef: DestroyRef | null = null): EventStream {
    return streams.open<{ tick: Tick }>('/api/things/events?kind=a', { on: { tick: (t) => ticks.push(t.n) }, messages, destroyRef });
  }

  const latest = () => FakeEventSource.instances[FakeEventSource.instances.length - 1];

  async function refreshAnswered(accessToken: string): Promise<void> {
    http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken }));
    await settle();
  }

  it('opens the URL with the access token and hands each named event its JSON data', () => {
    open();
    expect(latest().url).toBe('/api/things/events?kind=a&access_token=access-1');
    latest().emit('tick', { n: 1 });
    latest().emit('tick', { n: 2 });
    expect(ticks).toEqual([1, 2]);
  });

  it("shows the detail of the server's unavailable event, and clears it with the next event", () => {
    const stream = open();
    latest().emit('unavailable', { detail: 'Redis is unavailable' });
    expect(stream.problem()).toBe('Redis is unavailable');
    latest().emit('tick', { n: 1 });
    expect(stream.problem()).toBeNull();
  });

  it("falls back to the caller's words when unavailable carries no detail", () => {
    const stream = open();
    latest().emit('unavailable', {});
    expect(stream.problem()).toBe('The source is not answering.');
  });

  it("treats EventSource's error as connection state only, even when it carries data", () => {
    const stream = open();
    latest().emit('error', { detail: 'a server event named error' });
    expect(stream.problem()).toBe('Connection lost, reconnecting…');
    latest().connect();
    expect(stream.problem()).toBeNull();
    expect(stream.stopped()).toBe(false);
  });

  it('refreshes the token once and reopens a stream that was refused, then gives up when refused again', async () => {
    const stream = open();
    latest().fail(FakeEventSource.CLOSED);
    await refreshAnswered('access-2');

    expect(FakeEventSource.instances).toHaveLength(2);
    expect(latest().url).toBe('/api/things/events?kind=a&access_token=access-2');
    latest().fail(FakeEventSource.CLOSED);
    http.expectNone('/api/auth/refresh');
    expect(stream.problem()).toBe('Updates stopped.');
    expect(stream.stopped()).toBe(true);
  });

  it('refreshes again after the reopened stream connected, so a long-lived stream survives each token expiry', async () => {
    const stream = open();
    latest().fail(FakeEventSource.CLOSED);
    await refreshAnswered('access-2');
    latest().connect();

    latest().fail(FakeEventSource.CLOSED);
    await refreshAnswered('access-3');
    expect(latest().url).toContain('access_token=access-3');
    expect(stream.stopped()).toBe(false);
  });

  it('says the session expired when the refresh is refused', async () => {
    const stream = open();
    latest().fail(FakeEventSource.CLOSED);
    http.expectOne('/api/auth/refresh').flush(problemBody(401, 'Unauthorized', 'Refresh token revoked.'), { status: 401, statusText: 'Unauthorized' });
    await settle();

    expect(FakeEventSource.instances).toHaveLength(1);
    expect(stream.problem()).toBe('Your session has expired. Please sign in again.');
    expect(stream.stopped()).toBe(true);
  });

  it('keeps trying, as reconnecting, while the session stands but could not be renewed (the server is restarting)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stream = open();
      latest().fail(FakeEventSource.CLOSED);
      http.expectOne('/api/auth/refresh').flush(problemBody(503, 'Service Unavailable', 'Starting.'), { status: 503, statusText: 'Service Unavailable' });
      await vi.advanceTimersByTimeAsync(0);

      expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
      expect(stream.problem()).toBe('Connection lost, reconnecting…');
      expect(stream.stopped()).toBe(false);
      expect(FakeEventSource.instances).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(STREAM_RETRY_MS);
      expect(FakeEventSource.instances).toHaveLength(2);
      latest().connect();
      expect(stream.problem()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops when the refresh itself fails unexpectedly', async () => {
    vi.spyOn(TestBed.inject(AuthStore), 'refresh').mockRejectedValue(new Error('storage is full'));
    const stream = open();
    latest().fail(FakeEventSource.CLOSED);
    await settle();
    expect(stream.problem()).toBe('Updates stopped.');
    expect(stream.stopped()).toBe(true);
  });

  it('does not reopen a stream its owner closed while the refresh was running', async () => {
    const stream = open();
    latest().fail(FakeEventSource.CLOSED);
    stream.close();
    await refreshAnswered('access-2');
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(stream.stopped()).toBe(false);
  });

  it('opens nothing for an owner destroyed before the stream was asked for (a response after leaving the page)', () => {
    const owner = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
    const destroyRef = owner.get(DestroyRef);
    owner.destroy();
    const stream = open(destroyRef);
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(stream.stopped()).toBe(false);
  });

  it('closes with its owner and then ignores the connection', () => {
    const owner = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
    const stream = open(owner.get(DestroyRef));
    const source = latest();
    owner.destroy();
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
    source.fail(FakeEventSource.CLOSED);
    http.expectNone('/api/auth/refresh');
    expect(stream.problem()).toBeNull();
  });
});
