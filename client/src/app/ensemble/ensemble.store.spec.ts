import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { FakeEventSource } from '../../testing/fake-event-source';
import { makeSession, problemBody, storeSession } from '../../testing/test-helpers';
import { SILENT_ERRORS } from '../core/http/request-context';
import { EnsembleSocket } from './ensemble-socket';
import { EnsembleStore } from './ensemble.store';

const room = { id: 'r1', code: 'K7MZ3Q', version: 1, members: [], metronome: false };

describe('EnsembleStore', () => {
  let store: EnsembleStore;
  let http: HttpTestingController;
  const connection = () => (store as unknown as { connection: EnsembleSocket }).connection;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ providers: [EnsembleStore, provideHttpClient(), provideHttpClientTesting()] });
    store = TestBed.inject(EnsembleStore);
    http = TestBed.inject(HttpTestingController);
    vi.spyOn(EnsembleSocket.prototype, 'request').mockResolvedValue({ room, memberId: 'm1' });
    await store.join('K7MZ3Q');
    connection().socket.disconnect();
  });

  afterEach(() => {
    connection().close();
    vi.restoreAllMocks();
  });

  it('goes back to the lobby, saying why, when its room cannot be resumed after a long disconnection', () => {
    expect(store.room()?.id).toBe('r1');
    const refuse = (payload: unknown) =>
      connection()
        .socket.listeners('error')
        .forEach((listener) => listener(payload));
    refuse({ event: 'room:resume', error: { status: 409, title: 'Conflict', detail: 'Member m1 is not in this room any more.' } });
    expect(store.room()).toBeNull();
    expect(store.memberId()).toBeNull();
    expect(connection().resume).toBeNull();
    expect(store.error()).toContain('not in this room any more');
    // Back in the lobby: it is loaded again.
    expect(http.match((r) => r.url === '/api/ensemble/rooms')).toHaveLength(1);
  });

  it('leaves the room on the page even when the server says the member had already left', async () => {
    vi.spyOn(EnsembleSocket.prototype, 'request').mockRejectedValue(new Error('Join a room first.'));
    await store.leave();
    expect(store.room()).toBeNull();
    expect(connection().resume).toBeNull();
  });

  it('follows an audio render live and reads the recordings again when it is done', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    FakeEventSource.instances.length = 0;
    const REC = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';
    const rendering = store.renderAudio(REC);
    http
      .expectOne(`/api/ensemble/recordings/${REC}/audio`)
      .flush({ id: REC, queue: 'ensemble-render', state: 'queued', statusUrl: 's', eventsUrl: `/api/jobs/ensemble-render/${REC}/events` });
    await rendering;
    http.expectOne('/api/ensemble/rooms');
    http.expectOne((r) => r.url === '/api/ensemble/recordings');
    expect(store.renders()[REC]).toEqual({ state: 'queued', percent: 0 });
    const source = FakeEventSource.instances[0];
    expect(source.url).toContain(`/api/jobs/ensemble-render/${REC}/events`);
    source.emit('status', { id: REC, queue: 'ensemble-render', state: 'active', progress: { percent: 40, stage: 'rendering' }, createdAt: 'x' });
    TestBed.tick();
    expect(store.renders()[REC]).toEqual({ state: 'active', percent: 40 });
    source.emit('status', { id: REC, queue: 'ensemble-render', state: 'completed', progress: { percent: 100, stage: 'done' }, createdAt: 'x' });
    TestBed.tick();
    expect(store.renders()[REC]?.state).toBe('completed');
    http.expectOne('/api/ensemble/rooms');
    http.expectOne((r) => r.url === '/api/ensemble/recordings');
    vi.unstubAllGlobals();
  });

  it("says why a render was refused in the page's alert, in the server's words, without a toast", async () => {
    const REC = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';
    const rendering = store.renderAudio(REC);
    const req = http.expectOne(`/api/ensemble/recordings/${REC}/audio`);
    expect(req.request.context.get(SILENT_ERRORS)).toBe(true);
    req.flush(problemBody(503, 'Service Unavailable', 'The render queue is not answering.'), {
      status: 503,
      statusText: 'Service Unavailable',
      headers: { 'Retry-After': '10' },
    });
    await rendering;
    expect(store.error()).toContain('The render queue is not answering.');
    expect(store.error()).toContain('Try again in 10 s');
    expect(store.renders()[REC]).toBeUndefined();
  });
});
