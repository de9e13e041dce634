import type { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { LOST_JOB_REASON } from '../src/core/jobs/jobs.service';
import { EnsembleAccompanists } from '../src/ensemble/ensemble-accompanists.service';
import { EnsembleRoomsStore } from '../src/ensemble/ensemble-rooms.store';
import { EnsembleHub } from '../src/ensemble/ensemble.hub';
import type { MemberRecord } from '../src/ensemble/ensemble.types';
import { sharedNow } from '../src/ensemble/shared-time';
import { EnsembleRepository } from '../src/ensemble/ensemble.repository';
import { parseMidi } from '../src/music/engine';
import { collect, connectEnsemble, nextEvent, request as ask, serverOffset } from './support/ensemble-client';
import { eventually, registerUser, Session, startTestApp, TestApp } from './support/test-app';

// Two app instances, Socket.IO clients, a render on a loaded machine: generous bounds (hang guard only).
jest.setTimeout(120_000);

interface Member {
  id: string;
  name: string;
  kind: 'human' | 'ai';
  connected: boolean;
  mode: string;
}
interface RoomState {
  id: string;
  code: string;
  tempo: number;
  members: Member[];
  accompanist: { mode: string; memberId: string };
  playoutDelayMs: number;
  version: number;
}
interface Note {
  memberId: string;
  type: 'on' | 'off';
  pitch: number;
  velocity: number;
  time: number;
  channel: number;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/** The ensemble end to end: two replicas on one Redis and database, people and the accompanist in one room. */
describe('ensemble (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  let urlA = '';
  let urlB = '';
  let alice: Session;
  let bob: Session;
  let carol: Session;
  const sockets: Socket[] = [];
  const open = async (url: string, auth: Record<string, unknown>) => {
    const socket = await connectEnsemble(url, auth);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    a = await startTestApp();
    // The second replica: same database, Redis keys (QUEUE_PREFIX) and data volume (as the pods' shared PVC), its own process.
    b = await startTestApp({ env: { DATABASE_URL: a.config.DATABASE_URL!, QUEUE_PREFIX: a.config.QUEUE_PREFIX, DATA_DIR: a.config.DATA_DIR } });
    [urlA, urlB] = [await listen(a), await listen(b)];
    alice = await registerUser(a.http);
    bob = await registerUser(a.http);
    carol = await registerUser(a.http);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await b?.close();
    await a?.close();
  });

  it('refuses a handshake without a valid token, with a 401 reason', async () => {
    await expect(connectEnsemble(urlA, {})).rejects.toMatchObject({ data: { status: 401, title: 'Unauthorized' } });
    await expect(connectEnsemble(urlA, { token: `${alice.accessToken}x` })).rejects.toMatchObject({ data: { status: 401 } });
  });

  it("plays with a client on Socket.IO's default (text) parser beside MessagePack clients, on either replica", async () => {
    await expect(connectEnsemble(urlA, {}, { parser: 'default' })).rejects.toMatchObject({ data: { status: 401 } });
    const plain = await connectEnsemble(urlA, { token: carol.accessToken }, { parser: 'default' });
    sockets.push(plain);
    expect(await ask(plain, 'clock:ping', { t0: 5 })).toMatchObject({ ok: true, t0: 5, serverTime: expect.any(Number) as unknown });
    const created = await ask<{ roomId: string; code: string }>(plain, 'room:create', { name: 'text parser', accompanist: { mode: 'off' } });
    expect(created).toMatchObject({ ok: true });
    if (!created.ok) return;
    const stated = nextEvent<RoomState>(plain, 'room:state');
    expect(await ask(plain, 'room:join', { code: created.code })).toMatchObject({ ok: true, room: { id: created.roomId } });
    expect((await stated).id).toBe(created.roomId);
    const packed = await open(urlB, { token: alice.accessToken });
    expect(await ask(packed, 'room:join', { code: created.code })).toMatchObject({ ok: true });
    const heard = nextEvent<Note>(packed, 'note', (n) => n.pitch === 61);
    expect(await ask(plain, 'note', { type: 'on', pitch: 61, velocity: 80, time: now() })).toMatchObject({ ok: true });
    expect(await heard).toMatchObject({ type: 'on', pitch: 61, velocity: 80 });
    const answered = nextEvent<Note>(plain, 'note', (n) => n.pitch === 62);
    expect(await ask(packed, 'note', { type: 'on', pitch: 62, velocity: 70, time: now() })).toMatchObject({ ok: true });
    expect(await answered).toMatchObject({ type: 'on', pitch: 62, velocity: 70, channel: expect.any(Number) as unknown });
    expect(await ask(plain, 'note', { type: 'on', pitch: 300 })).toMatchObject({ ok: false, error: { status: 400 } });
    await ask(plain, 'room:leave', {});
    await ask(packed, 'room:leave', {});
    plain.close();
    packed.close();
  });

  it('lets the creator join like anyone (again: same member), reads a code as typed, and gives a plain reconnect its membership back', async () => {
    const creator = await open(urlA, { token: carol.accessToken });
    const opened = await ask<{ roomId: string; code: string }>(creator, 'room:create', { accompanist: { mode: 'off' } });
    expect(opened).toMatchObject({ ok: true });
    if (!opened.ok) return;
    // Creating is not joining: the creator joins like anyone, and joining again keeps its member.
    const first = await ask<{ memberId: string; room: RoomState }>(creator, 'room:join', { code: opened.code });
    const rejoined = await ask<{ memberId: string; room: RoomState }>(creator, 'room:join', { code: opened.code });
    if (!first.ok || !rejoined.ok) throw new Error('join failed');
    expect(rejoined.memberId).toBe(first.memberId);
    expect(rejoined.room.members.filter((m) => m.kind === 'human')).toHaveLength(1);
    const created = { ...opened, memberId: first.memberId };
    const listener = await open(urlB, { token: bob.accessToken });
    expect(await ask(listener, 'room:join', { code: ` ${created.code.toLowerCase()} ` })).toMatchObject({ ok: true, room: { id: created.roomId } });
    const heard = nextEvent<Note>(listener, 'note', (n) => n.pitch === 64);
    expect(await ask(creator, 'note', { type: 'on', pitch: 64, velocity: 90, time: now() })).toMatchObject({ ok: true });
    expect(await heard).toMatchObject({ memberId: created.memberId });

    // The connection drops and the client reconnects with nothing but its token.
    const back = nextEvent<RoomState>(creator, 'room:state', (state) => state.id === created.roomId, 15_000);
    creator.disconnect();
    await eventually(async () => ((await a.app.get(EnsembleRoomsStore).member(created.roomId, created.memberId))?.connected === false ? true : undefined));
    creator.connect();
    expect((await back).members.find((m) => m.id === created.memberId)).toMatchObject({ connected: true });
    const again = nextEvent<Note>(listener, 'note', (n) => n.pitch === 65);
    expect(await ask(creator, 'note', { type: 'on', pitch: 65, velocity: 90, time: now() })).toMatchObject({ ok: true });
    expect(await again).toMatchObject({ memberId: created.memberId });

    // Moving to another room is not answered with the old room's state without this member.
    const other = await ask<{ roomId: string; code: string }>(listener, 'room:create', { accompanist: { mode: 'off' } });
    if (!other.ok) throw new Error('create failed');
    const states = collect<RoomState>(creator, 'room:state');
    const moved = await ask<{ room: RoomState }>(creator, 'room:join', { code: other.code });
    expect(moved).toMatchObject({ ok: true, room: { id: other.roomId } });
    await sleep(300);
    expect(states.map((state) => state.id)).toEqual(states.map(() => other.roomId));
    expect(states.length).toBeGreaterThan(0);
    const left = await ask<{ room: RoomState }>(listener, 'room:update', {});
    if (left.ok) expect(left.room.members.map((m) => m.id)).not.toContain(created.memberId);
    await ask(creator, 'room:leave', {});
    await ask(listener, 'room:leave', {});
    creator.close();
    listener.close();
  });

  it('ends a connection when its token expires, unless the client renewed it (auth:renew) for the same user', async () => {
    const jwt = a.app.get(JwtService);
    const shortLived = (session: Session) => jwt.signAsync({ sub: session.user.id, email: session.user.email, role: session.user.role }, { expiresIn: 2 });
    const expiring = await open(urlA, { token: await shortLived(alice) });
    const told = nextEvent<{ event: string; error: { status: number } }>(expiring, 'error', (e) => e.event === 'auth', 6000);
    const dropped = nextEvent<string>(expiring, 'disconnect', () => true, 6000);
    expect(await told).toMatchObject({ event: 'auth', error: { status: 401 } });
    expect(await dropped).toBe('io server disconnect');

    const renewed = await open(urlA, { token: await shortLived(alice) });
    expect(await ask(renewed, 'auth:renew', { token: bob.accessToken })).toMatchObject({ ok: false, error: { status: 403 } });
    expect(await ask(renewed, 'auth:renew', { token: 'not.a.jwt' })).toMatchObject({ ok: false, error: { status: 401 } });
    expect(await ask(renewed, 'auth:renew', {})).toMatchObject({
      ok: false,
      error: { status: 400, errors: expect.arrayContaining([expect.objectContaining({ field: 'token' })]) as unknown },
    });
    const renewal = await ask<{ expiresAt: number }>(renewed, 'auth:renew', { token: alice.accessToken });
    expect(renewal).toMatchObject({ ok: true });
    if (renewal.ok) expect(renewal.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    await sleep(3000);
    expect(renewed.connected).toBe(true);
    expect(await ask(renewed, 'clock:ping', { t0: 1 })).toMatchObject({ ok: true });
    renewed.close();
  });

  it('answers clock:ping with the server clock', async () => {
    const socket = await open(urlA, { token: alice.accessToken });
    const t0 = now();
    const ack = await ask<{ t0: number; serverTime: number }>(socket, 'clock:ping', { t0 });
    expect(ack).toMatchObject({ ok: true, t0 });
    if (!ack.ok) return;
    // Same host: the server clock is this clock, within the round trip.
    expect(Math.abs(ack.serverTime - now())).toBeLessThan(1000);
    expect(Math.abs(await serverOffset(socket))).toBeLessThan(5);
    expect(await ask(socket, 'clock:ping', { t0: 'soon' })).toMatchObject({ ok: false, error: { status: 400, title: 'Bad Request' } });
  });

  let code = '';
  let roomId = '';
  let aiId = '';
  let aliceSocket: Socket;
  let bobSocket: Socket;
  let bobMemberId = '';

  it('creates a room, lists it in the lobby, and two people join it with the accompanist as a member', async () => {
    aliceSocket = await open(urlA, { token: alice.accessToken });
    const created = await ask<{ roomId: string; code: string }>(aliceSocket, 'room:create', {
      name: 'Friday jam',
      tempo: 120,
      accompanist: { mode: 'call-response', style: 'jazz' },
    });
    expect(created).toMatchObject({ ok: true, code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/) as unknown });
    if (!created.ok) return;
    ({ code, roomId } = created);

    const lobby = await request(a.http).get('/api/ensemble/rooms').set('Authorization', `Bearer ${bob.accessToken}`).expect(200);
    expect((lobby.body as { items: unknown[] }).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ code, name: 'Friday jam', tempo: 120, accompanist: 'call-response' })]),
    );
    await request(a.http).get('/api/ensemble/rooms').expect(401);
    await request(a.http).get(`/api/ensemble/rooms/${code}`).set('Authorization', `Bearer ${bob.accessToken}`).expect(200);
    await request(a.http).get('/api/ensemble/rooms/nope').set('Authorization', `Bearer ${bob.accessToken}`).expect(400);

    const aliceJoin = await ask<{ room: RoomState; memberId: string }>(aliceSocket, 'room:join', { code, name: 'Alice', instrument: 0 });
    expect(aliceJoin).toMatchObject({ ok: true, room: { id: roomId, code, tempo: 120 } });
    if (!aliceJoin.ok) return;
    aiId = aliceJoin.room.accompanist.memberId;
    expect(aliceJoin.room.members.map((m) => [m.name, m.kind])).toEqual([
      ['Alice', 'human'],
      ['AI accompanist', 'ai'],
    ]);

    bobSocket = await open(urlA, { token: bob.accessToken });
    const seenByAlice = nextEvent<RoomState>(aliceSocket, 'room:state', (s) => s.members.some((m) => m.name === 'Bob'));
    const bobJoin = await ask<{ room: RoomState; memberId: string }>(bobSocket, 'room:join', { code, name: 'Bob', instrument: 32 });
    expect(bobJoin).toMatchObject({
      ok: true,
      room: { members: expect.arrayContaining([expect.objectContaining({ name: 'Bob', kind: 'human' })]) as unknown },
    });
    if (bobJoin.ok) bobMemberId = bobJoin.memberId;
    await seenByAlice;
    // The play-out delay follows the slowest live round trip: Bob reports 70 ms, everyone waits 70 + 20 ms.
    expect(aliceJoin.room.playoutDelayMs).toBe(40);
    const delayed = nextEvent<RoomState>(aliceSocket, 'room:state', (s) => s.playoutDelayMs === 90);
    expect(await ask(bobSocket, 'member:update', { rttMs: 70 })).toMatchObject({ ok: true });
    await delayed;
    // A jittery connection widens the margin to what it reports: 70 + 35 ms.
    const widened = nextEvent<RoomState>(aliceSocket, 'room:state', (s) => s.playoutDelayMs === 105);
    expect(await ask(bobSocket, 'member:update', { rttMs: 70, jitterMs: 35 })).toMatchObject({ ok: true });
    await widened;
    // Notes that reach Bob later than that (his 95th percentile) widen it to what they need: 120 + 5 ms.
    const covered = nextEvent<RoomState>(aliceSocket, 'room:state', (s) => s.playoutDelayMs === 125);
    expect(await ask(bobSocket, 'member:update', { noteDelayMs: 120 })).toMatchObject({ ok: true });
    await covered;
    expect(await ask(bobSocket, 'member:update', { jitterMs: -1 })).toMatchObject({
      ok: false,
      error: { status: 400, errors: [{ field: 'jitterMs' }] },
    });
    expect(await ask(bobSocket, 'member:update', { noteDelayMs: -5 })).toMatchObject({
      ok: false,
      error: { status: 400, errors: [{ field: 'noteDelayMs' }] },
    });
    expect(await ask(bobSocket, 'room:join', { code: 'ZZZZZZ' })).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it("relays a player's notes to the others and the accompanist answers the phrase", async () => {
    const bobNotes = collect<Note>(bobSocket, 'note');
    const aliceNotes = collect<Note>(aliceSocket, 'note');
    const phrase = [60, 62, 64, 65, 67];
    for (const pitch of phrase) {
      const on = now();
      expect(await ask(aliceSocket, 'note', { type: 'on', pitch, velocity: 90, time: on })).toEqual({ ok: true });
      await sleep(120);
      await ask(aliceSocket, 'note', { type: 'off', pitch, velocity: 0, time: now() });
      await sleep(30);
    }
    const phraseEnd = now();
    // Bob's notes from Alice (the accompanist's answer may already be arriving beside them).
    const fromAlice = await eventually(
      () => {
        const human = bobNotes.filter((n) => n.memberId !== aiId);
        return Promise.resolve(human.length === phrase.length * 2 ? human : undefined);
      },
      { timeoutMs: 5000 },
    );
    expect(fromAlice.filter((n) => n.type === 'on').map((n) => n.pitch)).toEqual(phrase);
    expect(aliceNotes.filter((n) => n.memberId !== aiId)).toEqual([]);

    // The answer: notes from the accompanist's member id, to both players, starting within one beat (500 ms at 120 BPM)
    // of the phrase's end (half a beat of silence ends the phrase, then the engine's lead).
    const answer = await eventually(() => {
      const ai = bobNotes.filter((n) => n.memberId === aiId && n.type === 'on');
      return Promise.resolve(ai.length >= 2 ? ai : undefined);
    });
    expect(answer[0].time - phraseEnd).toBeLessThan(1000);
    await eventually(() => Promise.resolve(aliceNotes.some((n) => n.memberId === aiId) ? true : undefined));
  });

  it('answers a malformed event with an error ack and harms nobody else', async () => {
    const bobNotes = collect<Note>(bobSocket, 'note');
    const bad = await ask(aliceSocket, 'note', { type: 'on', pitch: 300, velocity: 'loud', time: now(), extra: 1 });
    expect(bad).toMatchObject({ ok: false, error: { status: 400, title: 'Bad Request' } });
    if (!bad.ok) expect(bad.error.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['pitch', 'velocity', 'extra']));
    expect(await ask(aliceSocket, 'note', 'not an object')).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await ask(aliceSocket, 'note', { type: 'on', pitch: 60, velocity: 80, time: now() - 3_600_000 })).toMatchObject({
      ok: false,
      error: { status: 400, errors: [{ field: 'time' }] },
    });
    const errors = collect<{ event: string; error: { status: number } }>(aliceSocket, 'error');
    aliceSocket.emit('note', { pitch: -1 });
    await eventually(() => Promise.resolve(errors.length > 0 ? true : undefined), { timeoutMs: 3000 });
    expect(errors[0]).toMatchObject({ event: 'note', error: { status: 400 } });
    // Text the database could not store is refused before it reaches the room; null reads as "not given".
    expect(await ask(aliceSocket, 'member:update', { name: 'Al\u0000ice' })).toMatchObject({ ok: false, error: { status: 400, errors: [{ field: 'name' }] } });
    expect(await ask(aliceSocket, 'room:update', { tempo: null })).toMatchObject({ ok: true });

    // Still connected, still playing: the next good note reaches Bob, and no bad one did.
    expect(aliceSocket.connected).toBe(true);
    await ask(aliceSocket, 'note', { type: 'on', pitch: 72, velocity: 70, time: now() });
    await eventually(() => Promise.resolve(bobNotes.some((n) => n.pitch === 72) ? true : undefined), { timeoutMs: 3000 });
    expect(bobNotes.filter((n) => n.memberId !== aiId).map((n) => n.pitch)).toEqual([72]);
    await ask(aliceSocket, 'note', { type: 'off', pitch: 72, velocity: 0, time: now() });
  });

  it('recovers a member after a reconnect: same member id, the room state as it is now', async () => {
    bobSocket.close();
    await eventually(async () => {
      const state = await ask<{ room: RoomState }>(aliceSocket, 'room:update', {});
      return state.ok && state.room.members.find((m) => m.id === bobMemberId)?.connected === false ? true : undefined;
    });
    const changed = await ask<{ room: RoomState }>(aliceSocket, 'room:update', { tempo: 96 });
    expect(changed).toMatchObject({ ok: true, room: { tempo: 96 } });

    // The client names its membership in the handshake; the server resumes it and pushes room:state.
    const { io } = await import('socket.io-client');
    const { default: parser } = await import('socket.io-msgpack-parser');
    const back = io(`${urlA}/ensemble`, {
      auth: { token: bob.accessToken, roomCode: code, memberId: bobMemberId },
      parser,
      transports: ['websocket'],
      forceNew: true,
    });
    sockets.push(back);
    const state = await nextEvent<RoomState>(back, 'room:state');
    expect(state.tempo).toBe(96);
    expect(state.members.find((m) => m.id === bobMemberId)).toMatchObject({ name: 'Bob', connected: true });
    bobSocket = back;
    // Another user cannot take Bob's place.
    const mallory = await open(urlA, { token: carol.accessToken });
    expect(await ask(mallory, 'room:join', { code, memberId: bobMemberId })).toMatchObject({ ok: false, error: { status: 404 } });
    mallory.close();
    // A resume that names no room this server knows, or no room code at all, is answered and nothing else happens.
    const resumeError = async (auth: Record<string, unknown>) => {
      const socket = io(`${urlA}/ensemble`, { auth: { token: carol.accessToken, ...auth }, parser, transports: ['websocket'], forceNew: true });
      sockets.push(socket);
      const error = await nextEvent<{ event: string; error: { status: number; errors?: { field: string }[] } }>(socket, 'error');
      socket.close();
      return error;
    };
    expect(await resumeError({ roomCode: 'Z'.repeat(5000), memberId: bobMemberId })).toMatchObject({
      event: 'room:resume',
      error: { status: 400, errors: [{ field: 'code' }] },
    });
    expect(await resumeError({ roomCode: code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ', memberId: bobMemberId })).toMatchObject({
      event: 'room:resume',
      error: { status: 404 },
    });
  });

  it('puts a member connected to a second replica in the same room', async () => {
    const carolSocket = await open(urlB, { token: carol.accessToken });
    const joined = await ask<{ room: RoomState; memberId: string }>(carolSocket, 'room:join', { code, name: 'Carol', instrument: 40 });
    expect(joined).toMatchObject({ ok: true, room: { id: roomId, tempo: 96 } });
    if (!joined.ok) return;
    expect(joined.room.members.map((m) => m.name)).toEqual(['Alice', 'Bob', 'Carol', 'AI accompanist']);

    const carolNotes = collect<Note>(carolSocket, 'note');
    const aliceNotes = collect<Note>(aliceSocket, 'note');
    await ask(aliceSocket, 'note', { type: 'on', pitch: 64, velocity: 80, time: now() });
    await ask(carolSocket, 'note', { type: 'on', pitch: 67, velocity: 80, time: now() });
    await eventually(() => Promise.resolve(carolNotes.some((n) => n.pitch === 64 && n.memberId !== aiId) ? true : undefined), { timeoutMs: 5000 });
    await eventually(() => Promise.resolve(aliceNotes.some((n) => n.pitch === 67 && n.memberId === joined.memberId) ? true : undefined), { timeoutMs: 5000 });
    await ask(aliceSocket, 'note', { type: 'off', pitch: 64, velocity: 0, time: now() });
    await ask(carolSocket, 'note', { type: 'off', pitch: 67, velocity: 0, time: now() });

    // The accompanist is played by exactly one replica: its answer arrives once per note, not once per replica.
    const before = carolNotes.length;
    await eventually(() => Promise.resolve(carolNotes.slice(before).some((n) => n.memberId === aiId) ? true : undefined));
    await sleep(1500);
    const ai = carolNotes.filter((n) => n.memberId === aiId);
    const keys = ai.map((n) => `${n.type}/${n.pitch}/${n.channel}/${n.time}`);
    expect(new Set(keys).size).toBe(keys.length);

    // The replica that plays renews its lease: past the lease's 5 s it still holds it and the other has not taken over.
    await sleep(6500);
    expect([a, b].filter((replica) => replica.app.get(EnsembleAccompanists).isPlayingHere(roomId))).toEqual([a]);
    expect(await a.app.get(EnsembleRoomsStore).accompanistHolder(roomId)).toBe(a.app.get(EnsembleHub).replicaId);
  });

  it("keeps a member whose old connection's drop is noticed only after the member came back on a new one", async () => {
    const { io } = await import('socket.io-client');
    const { default: parser } = await import('socket.io-msgpack-parser');
    const states = collect<RoomState>(aliceSocket, 'room:state');
    const store = a.app.get(EnsembleRoomsStore);
    // Back on the other replica, then on this one again: each time the older connection drops after the newer took over.
    for (const url of [urlB, urlA]) {
      const newer = io(`${url}/ensemble`, {
        auth: { token: bob.accessToken, roomCode: code, memberId: bobMemberId },
        parser,
        transports: ['websocket'],
        forceNew: true,
      });
      sockets.push(newer);
      await nextEvent<RoomState>(newer, 'room:state');
      bobSocket.close();
      bobSocket = newer;
      await sleep(1000);
      expect(await store.member(roomId, bobMemberId)).toMatchObject({ connected: true, connectionId: newer.id });
    }
    expect(states.flatMap((s) => s.members).filter((m) => m.id === bobMemberId && !m.connected)).toEqual([]);
  });

  it('applies concurrent changes to a room from different replicas one after the other, losing none', async () => {
    const before = (await a.app.get(EnsembleRoomsStore).room(roomId))!;
    const store = b.app.get(EnsembleRoomsStore);
    await Promise.all(Array.from({ length: 10 }, () => store.updateRoom(roomId, (room) => ({ ...room, version: room.version + 1 }))));
    expect((await store.room(roomId))!.version).toBe(before.version + 10);
    const [tempo, metronome] = await Promise.all([
      ask<{ room: RoomState }>(aliceSocket, 'room:update', { tempo: 101 }),
      ask<{ room: RoomState }>(bobSocket, 'room:update', { metronome: false }),
    ]);
    expect([tempo.ok, metronome.ok]).toEqual([true, true]);
    expect(await store.room(roomId)).toMatchObject({ timeline: { tempo: 101 }, metronome: false });
    expect(await ask(aliceSocket, 'room:update', { tempo: 96, metronome: true })).toMatchObject({ ok: true });
  });

  it('keeps no room state on a replica none of whose sockets is in the room', async () => {
    const dave = await registerUser(a.http);
    const socket = await open(urlA, { token: dave.accessToken });
    const created = await ask<{ roomId: string; code: string }>(socket, 'room:create', { open: false, accompanist: { mode: 'accompany' } });
    if (!created.ok) throw new Error(created.error.detail);
    expect(await ask(socket, 'room:join', { code: created.code })).toMatchObject({ ok: true });
    const [hubA, hubB] = [a.app.get(EnsembleHub), b.app.get(EnsembleHub)];
    await eventually(() => Promise.resolve(hubB.state(created.roomId) ? true : undefined));
    hubA.sweep();
    hubB.sweep();
    expect(hubA.state(created.roomId)).toBeDefined();
    expect(hubB.state(created.roomId)).toBeUndefined();
    socket.close();
  });

  it('neither counts nor keeps out anyone for members whose replica stopped (a crash leaves their records behind)', async () => {
    const store = a.app.get(EnsembleRoomsStore);
    // What a replica that died leaves: members nobody vouches for any more (last heartbeat two minutes ago).
    const ghost = (id: string): MemberRecord => {
      const seenAt = sharedNow() - 120_000;
      return {
        id,
        userId: id,
        name: id,
        instrument: 0,
        role: 'player',
        rttMs: null,
        jitterMs: null,
        noteDelayMs: null,
        connected: true,
        connectionId: id,
        seenAt,
        joinedAt: seenAt,
      };
    };
    const dave = await registerUser(a.http);
    const erin = await registerUser(a.http);
    const lobby = async () => {
      const res = await request(a.http).get('/api/ensemble/rooms').set('Authorization', `Bearer ${erin.accessToken}`).expect(200);
      return (res.body as { items: { code: string; members: number }[] }).items;
    };

    // A room only the dead replica's members were in is gone from the lobby and its link.
    const daveSocket = await open(urlA, { token: dave.accessToken });
    const abandoned = await ask<{ roomId: string; code: string }>(daveSocket, 'room:create', { name: 'abandoned', capacity: 2 });
    if (!abandoned.ok) throw new Error(abandoned.error.detail);
    for (const id of ['ghost-1', 'ghost-2']) expect(await store.addMember(abandoned.roomId, ghost(id), 2)).toBe('added');
    expect((await lobby()).map((r) => r.code)).not.toContain(abandoned.code);
    await request(a.http).get(`/api/ensemble/rooms/${abandoned.code}`).set('Authorization', `Bearer ${erin.accessToken}`).expect(404);

    // In a room of two with Dave and a dead replica's member, the lobby counts Dave alone and Erin can still join.
    const shared = await ask<{ roomId: string; code: string }>(daveSocket, 'room:create', { name: 'half alive', capacity: 2 });
    if (!shared.ok) throw new Error(shared.error.detail);
    expect(await ask(daveSocket, 'room:join', { code: shared.code })).toMatchObject({ ok: true });
    expect(await store.addMember(shared.roomId, ghost('ghost-3'), 2)).toBe('added');
    const erinSocket = await open(urlB, { token: erin.accessToken });
    expect(await ask(erinSocket, 'room:join', { code: shared.code })).toMatchObject({ ok: true });
    expect((await store.members(shared.roomId)).map((m) => m.userId).sort()).toEqual([dave.user.id, erin.user.id].sort());
    expect(await ask(erinSocket, 'room:leave', {})).toMatchObject({ ok: true });
    await store.addMember(shared.roomId, ghost('ghost-4'), 2);
    expect((await lobby()).find((r) => r.code === shared.code)).toMatchObject({ members: 1 });
    daveSocket.close();
    erinSocket.close();
  });

  it('answers a flood past the rate limit with 429 errors, not a disconnect, and the others keep playing', async () => {
    const flooder = await open(urlA, { token: bob.accessToken });
    const errors = collect<{ event: string; error: { status: number; retryAfterSec?: number } }>(flooder, 'error');
    for (let i = 0; i < 400; i += 1) flooder.emit('clock:ping', { t0: i });
    // Sent right behind the flood, while the bucket is still empty: its ack carries the 429.
    const limited = await ask(flooder, 'clock:ping', { t0: 1 });
    expect(limited).toMatchObject({ ok: false, error: { status: 429, title: 'Too Many Requests' } });
    await eventually(() => Promise.resolve(errors.some((e) => e.error.status === 429) ? true : undefined), { timeoutMs: 5000 });
    expect(errors.find((e) => e.error.status === 429)).toMatchObject({
      event: 'clock:ping',
      error: { status: 429, retryAfterSec: expect.any(Number) as unknown },
    });
    // The limit is per connection and refills: a moment later the flooder is answered again.
    await sleep(1100);
    expect(await ask(flooder, 'clock:ping', { t0: 3 })).toMatchObject({ ok: true });
    expect(flooder.connected).toBe(true);
    const ping = await ask(aliceSocket, 'clock:ping', { t0: 2 });
    expect(ping).toMatchObject({ ok: true });
    flooder.close();
  });

  it('records the session as multi-track MIDI, lists it for the members and renders it to audio for download', async () => {
    const started = await ask<{ recording: { id: string } }>(aliceSocket, 'room:record', { action: 'start' });
    expect(started).toMatchObject({ ok: true, recording: { id: expect.any(String) as unknown } });
    if (!started.ok) return;
    expect(await ask(aliceSocket, 'room:record', { action: 'start' })).toMatchObject({ ok: false, error: { status: 409 } });
    const tempoBefore = (await ask<{ room: RoomState }>(aliceSocket, 'room:update', {})) as { ok: true; room: RoomState };
    for (const pitch of [57, 60, 64, 69]) {
      // Half way through, the room changes tempo: the file keeps both.
      if (pitch === 64) expect(await ask(aliceSocket, 'room:update', { tempo: tempoBefore.room.tempo + 20 })).toMatchObject({ ok: true });
      await ask(aliceSocket, 'note', { type: 'on', pitch, velocity: 90, time: now() });
      await ask(bobSocket, 'note', { type: 'on', pitch: pitch - 24, velocity: 90, time: now() });
      await sleep(200);
      await ask(aliceSocket, 'note', { type: 'off', pitch, velocity: 0, time: now() });
      await ask(bobSocket, 'note', { type: 'off', pitch: pitch - 24, velocity: 0, time: now() });
    }
    await sleep(1200);
    // The recording buffer expires with the room when the room is abandoned (the heartbeat keeps it alive meanwhile).
    const store = a.app.get(EnsembleRoomsStore);
    await store.touch((await store.room(roomId))!);
    const redis = new Redis(a.config.REDIS_URL);
    try {
      for (const part of ['', ':members']) expect(await redis.ttl(`${a.config.QUEUE_PREFIX}:ensemble:rec:${started.recording.id}${part}`)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    // The database is away at the first stop: the room goes on recording, nothing is lost, and the next stop saves it all.
    jest.spyOn(a.app.get(EnsembleRepository), 'insertRecording').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    expect(await ask(aliceSocket, 'room:record', { action: 'stop' })).toMatchObject({ ok: false, error: { status: 503 } });
    const stillRecording = await ask<{ room: { recording: { id: string } | null } }>(aliceSocket, 'room:update', {});
    expect(stillRecording).toMatchObject({ ok: true, room: { recording: { id: expect.any(String) as unknown } } });
    const stopped = await ask<{ recording: { id: string; tracks: number; durationSec: number } }>(aliceSocket, 'room:record', { action: 'stop' });
    expect(stopped).toMatchObject({ ok: true });
    if (!stopped.ok) return;
    expect(stopped.recording.tracks).toBeGreaterThanOrEqual(3);
    const id = stopped.recording.id;

    const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });
    const list = await request(a.http).get('/api/ensemble/recordings').set(auth(bob)).expect(200);
    expect((list.body as { items: unknown[] }).items).toEqual([expect.objectContaining({ id, audio: 'none', mine: false })]);
    const outsider = await registerUser(a.http);
    await request(a.http).get(`/api/ensemble/recordings/${id}`).set(auth(outsider)).expect(404);
    const midi = await request(a.http).get(`/api/ensemble/recordings/${id}/midi`).set(auth(alice)).buffer(true).expect(200);
    expect(midi.headers['content-type']).toBe('audio/midi');
    expect(
      Buffer.from(midi.body as Buffer)
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('MThd');
    const parsed = parseMidi(new Uint8Array(midi.body as Buffer));
    const tempos = parsed.tempos.map((t) => Math.round(60_000_000 / t.usPerQuarter));
    expect(tempos).toEqual([tempoBefore.room.tempo, tempoBefore.room.tempo + 20]);
    // Every note the two players played is in the file, the failed stop notwithstanding.
    const played = new Set(parsed.tracks.flatMap((track) => track.notes.map((n) => n.pitch)));
    for (const pitch of [57, 60, 64, 69, 33, 36, 40, 45]) expect(played).toContain(pitch);
    await request(a.http).get(`/api/ensemble/recordings/${id}/audio`).set(auth(alice)).expect(409);

    const accepted = await request(a.http).post(`/api/ensemble/recordings/${id}/audio`).set(auth(alice)).expect(202);
    expect(accepted.body as object).toMatchObject({ id, queue: 'ensemble-render', statusUrl: `/api/ensemble/recordings/${id}/audio/status` });
    // Another member who asks for the render meanwhile follows the same job, through the same job routes.
    const followed = (await request(a.http).post(`/api/ensemble/recordings/${id}/audio`).set(auth(bob)).expect(202)).body as { id: string; eventsUrl: string };
    expect(followed).toMatchObject({ id, eventsUrl: `/api/jobs/ensemble-render/${id}/events` });
    await request(a.http).get(`/api/jobs/ensemble-render/${id}`).set(auth(bob)).expect(200);
    await request(a.http).get(`/api/jobs/ensemble-render/${id}`).set(auth(outsider)).expect(404);
    await eventually(
      async () => {
        const status = (await request(a.http).get(`/api/ensemble/recordings/${id}/audio/status`).set(auth(alice)).expect(200)).body as {
          state: string;
          error?: string;
        };
        if (status.state === 'failed') throw new Error(`render failed: ${status.error}`);
        return status.state === 'completed' ? true : undefined;
      },
      { timeoutMs: 100_000, intervalMs: 500 },
    );
    const wav = await request(a.http).get(`/api/ensemble/recordings/${id}/audio?format=wav&download=1`).set(auth(bob)).buffer(true).expect(200);
    expect(
      Buffer.from(wav.body as Buffer)
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('RIFF');
    await request(a.http).delete(`/api/ensemble/recordings/${id}`).set(auth(bob)).expect(403);
    await request(a.http).delete(`/api/ensemble/recordings/${id}`).set(auth(alice)).expect(204);

    // A new recording started the moment another stops (while it is being saved) takes nothing from it.
    expect(await ask(aliceSocket, 'room:record', { action: 'start' })).toMatchObject({ ok: true });
    await ask(aliceSocket, 'note', { type: 'on', pitch: 71, velocity: 90, time: now() });
    await ask(aliceSocket, 'note', { type: 'off', pitch: 71, velocity: 0, time: now() });
    await sleep(300);
    const stopping = ask<{ recording: { id: string } }>(aliceSocket, 'room:record', { action: 'stop' });
    await nextEvent<{ recording: unknown }>(bobSocket, 'room:state', (s) => s.recording === null);
    const restarted = await ask<{ recording: { id: string } }>(bobSocket, 'room:record', { action: 'start' });
    expect(restarted).toMatchObject({ ok: true });
    const first = await stopping;
    expect(first).toMatchObject({ ok: true });
    if (first.ok) {
      const file = await request(a.http).get(`/api/ensemble/recordings/${first.recording.id}/midi`).set(auth(alice)).buffer(true).expect(200);
      expect(parseMidi(new Uint8Array(file.body as Buffer)).tracks.flatMap((track) => track.notes.map((n) => n.pitch))).toContain(71);
      await request(a.http).delete(`/api/ensemble/recordings/${first.recording.id}`).set(auth(alice)).expect(204);
    }
    // (The accompanist may have answered into the new one: stopped either way, its row, if any, is not kept.)
    const second = await ask<{ recording: { id: string } }>(bobSocket, 'room:record', { action: 'stop' });
    if (second.ok) await request(a.http).delete(`/api/ensemble/recordings/${second.recording.id}`).set(auth(bob)).expect(204);

    // Stored, then the read-back fails: the stop is answered with the error, and the room does not record on.
    expect(await ask(aliceSocket, 'room:record', { action: 'start' })).toMatchObject({ ok: true });
    await ask(aliceSocket, 'note', { type: 'on', pitch: 62, velocity: 90, time: now() });
    await sleep(300);
    jest.spyOn(a.app.get(EnsembleRepository), 'findVisible').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    expect(await ask(aliceSocket, 'room:record', { action: 'stop' })).toMatchObject({ ok: false });
    expect(await ask(aliceSocket, 'room:update', {})).toMatchObject({ ok: true, room: { recording: null } });
    const listed = (await request(a.http).get('/api/ensemble/recordings').set(auth(alice)).expect(200)).body as { total: number; items: { id: string }[] };
    expect(listed.total).toBe(1);

    // A render whose job was lost (its worker died before it could say so) is failed at the next look, by any member,
    // and can be started again.
    const kept = listed.items[0].id;
    await a.app.get(EnsembleRepository).setAudioState(kept, 'active');
    const lost = await request(a.http).get(`/api/ensemble/recordings/${kept}/audio/status`).set(auth(bob)).expect(200);
    expect(lost.body).toEqual({ state: 'failed', error: LOST_JOB_REASON });
    expect((await request(a.http).post(`/api/ensemble/recordings/${kept}/audio`).set(auth(alice)).expect(202)).body).toMatchObject({ state: 'queued' });
    await request(a.http).delete(`/api/ensemble/recordings/${kept}`).set(auth(alice)).expect(204);
  });

  it('lets one user create so many rooms an hour, then answers 429 with Retry-After', async () => {
    const dave = await registerUser(a.http);
    const socket = await open(urlA, { token: dave.accessToken });
    for (let i = 0; i < a.config.ENSEMBLE_ROOMS_PER_HOUR; i++) {
      expect(await ask(socket, 'room:create', { name: `room ${i}`, open: false })).toMatchObject({ ok: true });
    }
    const refused = await ask(socket, 'room:create', { name: 'one too many', open: false });
    expect(refused).toMatchObject({ ok: false, error: { status: 429 } });
    if (!refused.ok) expect(refused.error.retryAfterSec).toBeGreaterThan(3000);
    socket.close();
  });

  it('lets a member leave; the others see it', async () => {
    const seen = nextEvent<RoomState>(aliceSocket, 'room:state', (s) => !s.members.some((m) => m.id === bobMemberId));
    expect(await ask(bobSocket, 'room:leave', {})).toMatchObject({ ok: true, roomId });
    await seen;
    expect(await ask(bobSocket, 'note', { type: 'on', pitch: 60, velocity: 80, time: now() })).toMatchObject({ ok: false, error: { status: 409 } });
  });
});
