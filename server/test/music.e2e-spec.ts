import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import type { JobAcceptedDto } from '../src/core/jobs/dto/job.dto';
import { QUEUES } from '../src/core/jobs/queues';
import { MAX_SEED } from '../src/music/dto/generate-emotion.dto';
import { MAX_TOPIC_LENGTH } from '../src/music/dto/generate-topic.dto';
import type { MusicCatalogDto } from '../src/music/dto/music-catalog.dto';
import type { MusicGenerationStatusDto, MusicHistoryPageDto, MusicNotesDto, MusicPlanDocumentDto } from '../src/music/dto/music-generation.dto';
import { MAX_DURATION_SEC, MAX_TEMPO, MIN_DURATION_SEC, MIN_TEMPO } from '../src/music/engine';
import { EMOTION_TABLE } from '../src/music/engine/emotion-table';
import { lockCacheKey, MusicRepository, type MusicGenerationRow } from '../src/music/music.repository';
import { DATABASE, type Database } from '../src/core/db/database';
import { chatReply, FakeChatServer } from './support/fake-chat-server';
import { registerUser, eventually, startTestApp, Session, TestApp } from './support/test-app';

const accepted = (res: request.Response) => res.body as JobAcceptedDto;
const status = (res: request.Response) => res.body as MusicGenerationStatusDto;
const problem = (res: request.Response) => res.body as ProblemDetails & { errors: FieldError[] };

// Rendering runs in worker threads; on a loaded machine a piece can take tens of seconds (hang guard only).
jest.setTimeout(120_000);

/** The music module end to end: real PostgreSQL, Redis, BullMQ worker, SoundFont render workers. */
describe('music generation (e2e)', () => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });

  beforeAll(async () => {
    t = await startTestApp({ env: { MUSIC_QUOTA_PER_HOUR: '4' } });
    alice = await registerUser(t.http);
    bob = await registerUser(t.http);
  });
  afterAll(() => t.close());

  const body = { emotion: 'happy', durationSec: 12, seed: 4242 };
  let id = '';

  async function completed(session: Session, generationId: string): Promise<MusicGenerationStatusDto> {
    return eventually(
      async () => {
        const body = status(await request(t.http).get(`/api/music/generation/${generationId}/status`).set(auth(session)).expect(200));
        if (body.state === 'failed') throw new Error(`generation failed: ${body.error}`);
        return body.state === 'completed' ? body : undefined;
      },
      { timeoutMs: 100_000, intervalMs: 200 },
    );
  }

  it('accepts an emotion request with 202, a status URL, and completes it with stage progress', async () => {
    const res = accepted(await request(t.http).post('/api/music/generate/emotion').set(auth(alice)).send(body).expect(202));
    expect(res).toMatchObject({ queue: 'music-generation', state: 'queued', statusUrl: `/api/music/generation/${res.id}/status` });
    id = res.id;
    const seen = new Set<string>();
    const done = await eventually(
      async () => {
        const current = status(await request(t.http).get(`/api/music/generation/${id}/status`).set(auth(alice)).expect(200));
        seen.add(current.progress.stage);
        return current.state === 'completed' ? current : undefined;
      },
      { timeoutMs: 100_000, intervalMs: 50 },
    );
    expect(done.progress).toEqual({ percent: 100, stage: 'done' });
    expect(done.eventsUrl).toBeUndefined();
    expect(done.result).toMatchObject({
      generationId: id,
      provider: 'built-in',
      emotion: 'happy',
      seed: 4242,
      fromCache: false,
      formats: ['mp3', 'wav'],
      hasMidi: true,
    });
    const result = done.result!;
    expect(result.mastering.outputLufs).toBeGreaterThan(-17);
    expect(result.mastering.outputLufs).toBeLessThan(-15);
    expect(result.mastering.truePeakDb).toBeLessThanOrEqual(-1);
    expect(result.explanation.length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(0);
  });

  it('serves the audio with HTTP Range support (206 + Content-Range) in MP3 and WAV', async () => {
    const full = await request(t.http).get(`/api/music/generation/${id}/audio`).set(auth(alice)).buffer(true).expect(200);
    expect(full.headers['content-type']).toBe('audio/mpeg');
    expect(full.headers['accept-ranges']).toBe('bytes');
    const size = Number(full.headers['content-length']);
    expect(size).toBeGreaterThan(100_000);

    const part = await request(t.http)
      .get(`/api/music/generation/${id}/audio?format=mp3`)
      .set(auth(alice))
      .set('Range', 'bytes=1000-1999')
      .buffer(true)
      .expect(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${size}`);
    expect(Number(part.headers['content-length'])).toBe(1000);

    const wavHead = await request(t.http)
      .get(`/api/music/generation/${id}/audio?format=wav`)
      .set(auth(alice))
      .set('Range', 'bytes=0-43')
      .buffer(true)
      .expect(206);
    expect(wavHead.headers['content-type']).toBe('audio/wav');
    const header = Buffer.from(wavHead.body as Buffer);
    expect(header.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(header.readUInt32LE(24)).toBe(44100);
    expect(wavHead.headers['content-range']).toMatch(/^bytes 0-43\/\d+$/);

    // An <audio> element cannot send headers: the token may ride in the query string here.
    await request(t.http).get(`/api/music/generation/${id}/audio?access_token=${alice.accessToken}`).set('Range', 'bytes=0-99').expect(206);
    const outside = await request(t.http).get(`/api/music/generation/${id}/audio`).set(auth(alice)).set('Range', 'bytes=99999999-').expect(416);
    expect(outside.headers['content-range']).toBe(`bytes */${size}`);
    // A conditional request whose precondition fails is the client's: 412 problem+json, without the file's headers.
    const stale = await request(t.http).get(`/api/music/generation/${id}/audio`).set(auth(alice)).set('If-Match', '"not-this-one"').expect(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    const file = await request(t.http).get(`/api/music/generation/${id}/audio`).set(auth(alice)).set('Range', 'bytes=0-0').expect(206);
    expect(stale.headers['etag']).not.toBe(file.headers['etag']);
    expect(stale.headers['content-disposition']).toBeUndefined();
    expect(stale.headers['cache-control']).not.toBe(file.headers['cache-control']);
  });

  it('serves the MIDI, the explained plan and the note list', async () => {
    const midi = await request(t.http).get(`/api/music/generation/${id}/midi`).set(auth(alice)).buffer(true).expect(200);
    expect(midi.headers['content-type']).toBe('audio/midi');
    expect(
      Buffer.from(midi.body as Buffer)
        .subarray(0, 4)
        .toString('ascii'),
    ).toBe('MThd');

    const plan = (await request(t.http).get(`/api/music/generation/${id}/plan`).set(auth(alice)).expect(200)).body as MusicPlanDocumentDto;
    expect(plan).toMatchObject({ provider: 'built-in', seed: 4242 });
    expect(plan.plan).toMatchObject({ emotion: 'happy' });
    expect(plan.explanation.length).toBeGreaterThan(0);
    expect(plan.attempts).toEqual(
      expect.arrayContaining([
        { provider: 'neural', outcome: 'skipped', reason: 'not configured' },
        { provider: 'built-in', outcome: 'ok' },
      ]),
    );

    const notes = (await request(t.http).get(`/api/music/generation/${id}/notes`).set(auth(alice)).expect(200)).body as MusicNotesDto;
    expect(notes.notes.length).toBeGreaterThan(10);
    expect(notes.tracks.length).toBeGreaterThan(1);
    expect(notes.notes[0]).toEqual(
      expect.objectContaining({ pitch: expect.any(Number) as unknown, startSec: expect.any(Number) as unknown, durationSec: expect.any(Number) as unknown }),
    );
  });

  it('answers the same request from the cache at once: completed, same files, no new job', async () => {
    const again = accepted(await request(t.http).post('/api/music/generate/emotion').set(auth(alice)).send(body).expect(200));
    expect(again).toMatchObject({ id, state: 'completed' });
    // Nothing to follow: its job may be gone (kept 24 h), and following it would 404.
    expect(again.eventsUrl).toBeUndefined();
    const synonym = accepted(
      await request(t.http)
        .post('/api/music/generate/emotion')
        .set(auth(alice))
        .send({ ...body, emotion: ' 开心 ' })
        .expect(200),
    );
    expect(synonym.id).toBe(id);
  });

  it("hides other users' generations (404) but shares cached files with them under their own id", async () => {
    await request(t.http).get(`/api/music/generation/${id}/status`).set(auth(bob)).expect(404);
    await request(t.http).get(`/api/music/generation/${id}/audio`).set(auth(bob)).expect(404);
    await request(t.http).delete(`/api/music/generation/${id}`).set(auth(bob)).expect(404);
    const shared = accepted(await request(t.http).post('/api/music/generate/emotion').set(auth(bob)).send(body).expect(200));
    expect(shared.id).not.toBe(id);
    const sharedStatus = status(await request(t.http).get(`/api/music/generation/${shared.id}/status`).set(auth(bob)).expect(200));
    expect(sharedStatus).toMatchObject({ state: 'completed', result: { fromCache: true, provider: 'built-in' } });
    await request(t.http).get(`/api/music/generation/${shared.id}/midi`).set(auth(bob)).expect(200);
  });

  it('generates from a topic with the built-in analyser when no language model is configured', async () => {
    const res = accepted(
      await request(t.http).post('/api/music/generate/topic').set(auth(alice)).send({ topic: '雨夜里的思念', durationSec: 10, seed: 1 }).expect(202),
    );
    const done = await completed(alice, res.id);
    expect(done.result).toMatchObject({ analyser: 'built-in', provider: 'built-in' });
    const plan = (await request(t.http).get(`/api/music/generation/${res.id}/plan`).set(auth(alice)).expect(200)).body as MusicPlanDocumentDto;
    expect(plan.analyser).toBe('built-in');
    expect(plan.analysis?.keywords).toEqual(expect.any(Array));
  });

  it.each([
    [{ emotion: 'grumpy', durationSec: 30 }, 'emotion', /one of: happy, sad/],
    [{ emotion: 'constructor', durationSec: 30 }, 'emotion', /one of: happy, sad/],
    [{ emotion: 'happy', durationSec: 5 }, 'durationSec', /durationSec must not be less than 10/],
    [{ emotion: 'happy', durationSec: 301 }, 'durationSec', /greater than 300/],
    [{ durationSec: 30 }, 'valence', /valence must be a number/],
    [{ emotion: 'sad', valence: 0.2, arousal: 0.1, durationSec: 30 }, 'valence', /cannot be combined with emotion/],
    [{ valence: 1.5, arousal: 0, durationSec: 30 }, 'valence', /valence must not be greater than 1/],
    [{ emotion: 'happy', durationSec: 30, seed: 1.5 }, 'seed', /seed must be an integer/],
    [{ emotion: 'happy', durationSec: 30, seed: -1 }, 'seed', /seed must be an integer from 0 to 4294967295/],
    [{ emotion: 'happy', durationSec: 30, seed: 2 ** 32 }, 'seed', /seed must be an integer from 0 to 4294967295/],
    [{ emotion: 'happy', durationSec: 30, seed: '7' }, 'seed', /seed must be an integer/],
    [{ emotion: 'happy', durationSec: 30, tempo: 1e40 }, 'tempo', /tempo must be an integer from 40 to 220/],
    [{ emotion: 'happy', durationSec: 30, instruments: [0, 200] }, 'instruments', /127/],
    [{ emotion: 'happy', durationSec: 30, instruments: ['kazoo'] }, 'instruments', /General MIDI programs 0–127 or their names/],
  ])('rejects bad emotion input %j with 400 problem+json naming %s', async (bad, field, message) => {
    const res = await request(t.http).post('/api/music/generate/emotion').set(auth(alice)).send(bad).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const { errors } = problem(res);
    expect(errors.some((e) => e.field === field && message.test(e.message))).toBe(true);
  });

  it('takes instruments by name as well as by General MIDI program', async () => {
    const carol = await registerUser(t.http);
    const body_ = { emotion: 'sad', durationSec: 10, seed: 11, instruments: ['Violin', 'piano', 'Contrabass'] };
    const res = accepted(await request(t.http).post('/api/music/generate/emotion').set(auth(carol)).send(body_).expect(202));
    const row = await t.app.get(MusicRepository).findOwned(res.id, carol.user.id);
    expect(row?.request).toMatchObject({ instruments: [40, 0, 43] });
  });

  it.each([
    [{ topic: '   ', durationSec: 30 }, 'topic', /must not be empty/],
    [{ topic: 'x'.repeat(501), durationSec: 30 }, 'topic', /shorter than or equal to 500/],
    [{ topic: 'sea', durationSec: 1000 }, 'durationSec', /300/],
  ])('rejects bad topic input %#', async (bad, field, message) => {
    const res = await request(t.http).post('/api/music/generate/topic').set(auth(alice)).send(bad).expect(400);
    const { errors } = problem(res);
    expect(errors.some((e) => e.field === field && message.test(e.message))).toBe(true);
  });

  it('lists the history newest first, paged, and deletes', async () => {
    const page = (await request(t.http).get('/api/music/generations?page=1&pageSize=1').set(auth(alice)).expect(200)).body as MusicHistoryPageDto;
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0].kind).toBe('topic');
    await request(t.http).delete(`/api/music/generation/${id}`).set(auth(alice)).expect(204);
    await request(t.http).get(`/api/music/generation/${id}/status`).set(auth(alice)).expect(404);
    // Bob's copy shares the files and still plays.
    const bobs = (await request(t.http).get('/api/music/generations').set(auth(bob)).expect(200)).body as MusicHistoryPageDto;
    await request(t.http).get(`/api/music/generation/${bobs.items[0].id}/audio`).set(auth(bob)).expect(200);
  });

  it('makes the piece anew when the generation it would reuse is deleted meanwhile (its files are gone)', async () => {
    const grace = await registerUser(t.http);
    const bobs = (await request(t.http).get('/api/music/generations').set(auth(bob)).expect(200)).body as MusicHistoryPageDto;
    const repository = t.app.get(MusicRepository);
    const find = repository.findReusable.bind(repository);
    // Bob deletes the last copy between the cache lookup and the reuse.
    jest.spyOn(repository, 'findReusable').mockImplementationOnce(async (cacheKey, userId) => {
      const found = await find(cacheKey, userId);
      await request(t.http).delete(`/api/music/generation/${bobs.items[0].id}`).set(auth(bob)).expect(204);
      return found;
    });
    const res = accepted(await request(t.http).post('/api/music/generate/emotion').set(auth(grace)).send(body).expect(202));
    expect(res.state).toBe('queued');
    await completed(grace, res.id);
    await request(t.http).get(`/api/music/generation/${res.id}/audio`).set(auth(grace)).expect(200);
  });

  it('fails a generation for good when its job is gone without a word (a worker that died), and says so', async () => {
    const id = randomUUID();
    const request_ = { kind: 'emotion' as const, emotion: 'calm', durationSec: 10 };
    await t.app.get(MusicRepository).insert({ id, userId: alice.user.id, kind: 'emotion', request: request_, seed: 5, cacheKey: `lost-${id}` });
    const status = (await request(t.http).get(`/api/music/generation/${id}/status`).set(auth(alice)).expect(200)).body as MusicGenerationStatusDto;
    expect(status).toMatchObject({ state: 'failed', error: expect.stringMatching(/lost before it finished/) as string });
    const again = (await request(t.http).get(`/api/music/generation/${id}/status`).set(auth(alice)).expect(200)).body as MusicGenerationStatusDto;
    expect(again.state).toBe('failed');
  });

  it('takes a failed generation back to active when an operator runs its job again, clearing the error', async () => {
    const repository = t.app.get(MusicRepository);
    const id = randomUUID();
    await repository.insert({
      id,
      userId: alice.user.id,
      kind: 'emotion',
      request: { kind: 'emotion', emotion: 'calm', durationSec: 10 },
      seed: 6,
      cacheKey: `retry-${id}`,
    });
    await repository.fail(id, 'ENOSPC: no space left on device');
    await expect(repository.markActive(id)).resolves.toBe(true);
    expect(await repository.findOwned(id, alice.user.id)).toMatchObject({ state: 'active', error: null, finishedAt: null });
    await repository.delete(id, alice.user.id);
    await expect(repository.markActive(id)).resolves.toBe(false);
  });

  it('counts the last two rows of a cache key deleted at once so that one of the deletes removes the files', async () => {
    const repository = t.app.get(MusicRepository);
    const db = t.app.get<Database>(DATABASE);
    const cacheKey = `shared-${randomUUID()}`;
    const [first, second] = [randomUUID(), randomUUID()];
    for (const id of [first, second]) {
      await repository.insert({
        id,
        userId: alice.user.id,
        kind: 'emotion',
        request: { kind: 'emotion', emotion: 'calm', durationSec: 10 },
        seed: 1,
        cacheKey,
      });
    }
    // Another delete of the key's other row, caught between its DELETE and its count (it has not committed yet).
    let commit = () => {};
    let counted = (_n: number) => {};
    const countedOther = new Promise<number>((resolve) => (counted = resolve));
    const other = db.transaction().execute(async (trx) => {
      await trx.deleteFrom('music_generations').where('id', '=', second).execute();
      await lockCacheKey(trx, cacheKey);
      const left = await trx
        .selectFrom('music_generations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('cache_key', '=', cacheKey)
        .executeTakeFirstOrThrow();
      counted(Number(left.n));
      await new Promise<void>((resolve) => (commit = resolve));
    });
    expect(await countedOther).toBe(1);
    const deleting = repository.delete(first, alice.user.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    commit();
    await other;
    expect(await deleting).toEqual({ cacheKey, remaining: 0 });
  });

  it('answers 429 over the hourly quota', async () => {
    const carol = await registerUser(t.http);
    const ids: string[] = [];
    for (let seed = 0; seed < 4; seed++) {
      const accepted = await request(t.http).post('/api/music/generate/emotion').set(auth(carol)).send({ emotion: 'calm', durationSec: 10, seed }).expect(202);
      ids.push((accepted.body as { id: string }).id);
    }
    const res = await request(t.http).post('/api/music/generate/emotion').set(auth(carol)).send({ emotion: 'calm', durationSec: 10, seed: 99 }).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
    expect(problem(res).detail).toMatch(/4 music generations per hour/);
    // Deleting what was started does not give its use back.
    await request(t.http).delete(`/api/music/generation/${ids[0]}`).set(auth(carol)).expect(204);
    await request(t.http).post('/api/music/generate/emotion').set(auth(carol)).send({ emotion: 'calm', durationSec: 10, seed: 98 }).expect(429);
  });

  it('serves the catalogue a request can draw on, from the engine and the validators (authenticated)', async () => {
    await request(t.http).get('/api/music/catalog').expect(401);
    const catalog = (await request(t.http).get('/api/music/catalog').set(auth(alice)).expect(200)).body as MusicCatalogDto;
    expect(catalog.emotions.map(({ name, valence, arousal }) => ({ emotion: name, valence, arousal }))).toEqual(
      EMOTION_TABLE.map(({ emotion, valence, arousal }) => ({ emotion, valence, arousal })),
    );
    expect(catalog.emotions.find((e) => e.name === 'calm')).toMatchObject({ label: 'Calm', chinese: '平静' });
    expect(catalog.instruments).toContainEqual({ program: 73, name: 'Flute' });
    expect(catalog.limits).toEqual({
      minDurationSec: MIN_DURATION_SEC,
      maxDurationSec: MAX_DURATION_SEC,
      minTempo: MIN_TEMPO,
      maxTempo: MAX_TEMPO,
      maxTopicLength: MAX_TOPIC_LENGTH,
      maxSeed: MAX_SEED,
    });
  });

  it('writes the queued row before its job exists, so a worker always finds it', async () => {
    const dave = await registerUser(t.http);
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    const repository = t.app.get(MusicRepository);
    const add = queue.add.bind(queue);
    let rowWhenQueued: MusicGenerationRow | undefined;
    const spy = jest.spyOn(queue, 'add').mockImplementationOnce(async (name, data, options) => {
      rowWhenQueued = await repository.findOwned(String(options?.jobId), dave.user.id);
      return add(name, data, options);
    });
    try {
      const res = accepted(
        await request(t.http).post('/api/music/generate/emotion').set(auth(dave)).send({ emotion: 'tender', durationSec: 10, seed: 3 }).expect(202),
      );
      expect(rowWhenQueued).toMatchObject({ id: res.id });
      await completed(dave, res.id);
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves no queued row behind when the job cannot be queued (503)', async () => {
    const erin = await registerUser(t.http);
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    const spy = jest.spyOn(queue, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
    try {
      const res = await request(t.http).post('/api/music/generate/emotion').set(auth(erin)).send({ emotion: 'sad', durationSec: 10, seed: 8 }).expect(503);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      spy.mockRestore();
    }
    const history = (await request(t.http).get('/api/music/generations').set(auth(erin)).expect(200)).body as MusicHistoryPageDto;
    expect(history.total).toBe(0);
  });

  it('tells the client where to follow a generation that is still queued', async () => {
    const frank = await registerUser(t.http);
    const generationId = randomUUID();
    // A queued row whose job waits in a paused queue, so it stays queued.
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    const request_ = { kind: 'emotion' as const, emotion: 'calm', durationSec: 10 };
    await queue.pause();
    try {
      await t.app
        .get(MusicRepository)
        .insert({ id: generationId, userId: frank.user.id, kind: 'emotion', request: request_, seed: 1, cacheKey: 'f'.repeat(64) });
      await queue.add('music-emotion', { userId: frank.user.id, request: request_, seed: 1, cacheKey: 'f'.repeat(64) }, { jobId: generationId });
      const eventsUrl = `/api/jobs/music-generation/${generationId}/events`;
      const current = status(await request(t.http).get(`/api/music/generation/${generationId}/status`).set(auth(frank)).expect(200));
      expect(current).toMatchObject({ state: 'queued', eventsUrl });
      const history = (await request(t.http).get('/api/music/generations').set(auth(frank)).expect(200)).body as MusicHistoryPageDto;
      expect(history.items[0]).toMatchObject({ id: generationId, state: 'queued', eventsUrl });
    } finally {
      await queue.remove(generationId);
      await queue.resume();
    }
  });
});

describe('music topic analysis through the language model (e2e)', () => {
  let t: TestApp;
  let llm: FakeChatServer;
  let user: Session;
  const auth = () => ({ Authorization: `Bearer ${user.accessToken}` });

  beforeAll(async () => {
    llm = await FakeChatServer.start();
    t = await startTestApp({ env: { OPENAI_BASE_URL: llm.baseUrl, OPENAI_MAX_RETRIES: '0', OPENAI_TIMEOUT_MS: '2000' } });
    user = await registerUser(t.http);
  });
  afterAll(async () => {
    await t.close();
    await llm.close();
  });

  async function generate(topic: string) {
    const res = accepted(await request(t.http).post('/api/music/generate/topic').set(auth()).send({ topic, durationSec: 10, seed: 5 }).expect(202));
    await eventually(
      async () => {
        const current = status(await request(t.http).get(`/api/music/generation/${res.id}/status`).set(auth()).expect(200));
        return current.state === 'completed' ? current : undefined;
      },
      { timeoutMs: 100_000, intervalMs: 200 },
    );
    return (await request(t.http).get(`/api/music/generation/${res.id}/plan`).set(auth()).expect(200)).body as MusicPlanDocumentDto;
  }

  it('uses the validated TopicAnalysis of the language model and records it', async () => {
    llm.enqueue(chatReply.json({ valence: -0.6, arousal: 0.7, emotion: 'tense', style: 'cinematic', tempoHint: 140, keywords: ['storm', 'chase'] }));
    const plan = await generate('a chase through a storm');
    expect(plan.analyser).toBe('language-model');
    expect(plan.analysis).toMatchObject({ emotion: 'tense', keywords: ['storm', 'chase'] });
    expect(plan.plan).toMatchObject({ emotion: 'tense', tempo: 140, style: 'cinematic' });
    expect(llm.completionRequests.at(-1)?.body.messages?.at(-1)?.content).toBe('a chase through a storm');
  });

  it('falls back to the built-in analyser when the language model fails', async () => {
    llm.respondWith(chatReply.status(500));
    const plan = await generate('sunny morning by the sea');
    expect(plan.analyser).toBe('built-in');
  });
});
