import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { makeSession, storeSession } from '../../testing/test-helpers';
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
});
