import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import type { JobAcceptedDto } from '../src/core/jobs/dto/job.dto';
import type { MultimodalAnalysisDto } from '../src/multimodal/dto/analysis.dto';
import type { SavedAnalysisDto, SavedAnalysisPageDto } from '../src/multimodal/dto/saved-analysis.dto';
import type { StoryHistoryPageDto, StoryStatusDto } from '../src/multimodal/dto/story.dto';
import { ARC_SHAPES, FACE_EMOTIONS, VOICE_EMOTIONS } from '../src/multimodal/engine/types';
import { VOICE_FEATURE_NAMES } from '../src/multimodal/engine/voice/voice-features';
import { InFlightLimit } from '../src/core/http/in-flight-limit';
import { MultimodalController } from '../src/multimodal/multimodal.controller';
import { MultimodalRepository } from '../src/multimodal/multimodal.repository';
import { VoiceBaselinesRepository } from '../src/multimodal/voice-baselines.repository';
import { makePng, makeWav } from './support/media';
import { eventually, registerUser, startTestApp, Session, TestApp } from './support/test-app';

const problem = (res: request.Response) => res.body as ProblemDetails & { errors: FieldError[] };

// A story renders a piece in worker threads; on a loaded machine that can take a minute (hang guard only).
jest.setTimeout(180_000);

/** The multimodal module end to end: real PostgreSQL, Redis, BullMQ worker and the trained models. */
describe('multimodal (e2e)', () => {
  let t: TestApp;
  let alice: Session;
  const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });
  const analyze = () => request(t.http).post('/api/multimodal/analyze').set(auth(alice));

  beforeAll(async () => {
    t = await startTestApp();
    alice = await registerUser(t.http);
  });
  afterAll(() => t.close());

  const png = makePng(64, 48, (x, y) => [x * 4, y * 5, 128]);
  const wav = makeWav(2);

  /** Valence and arousal in [-1, 1], confidence in [0, 1]. */
  function expectAffect(affect: { valence: number; arousal: number; confidence: number }): void {
    for (const value of [affect.valence, affect.arousal]) expect(Math.abs(value)).toBeLessThanOrEqual(1);
    expect(affect.confidence).toBeGreaterThanOrEqual(0);
    expect(affect.confidence).toBeLessThanOrEqual(1);
  }

  /** The answer is problem+json with `status`, naming `field` with a message matching `message`. */
  function expectProblem(res: request.Response, status: number, field: string, message: RegExp): void {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = problem(res);
    expect(body.status).toBe(status);
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) as string })]));
  }

  describe('bad input', () => {
    it('needs a token', async () => {
      await request(t.http).post('/api/multimodal/analyze').field('text', 'hello').expect(401);
    });

    it('answers 400 naming the fields when nothing is given', async () => {
      const res = await analyze().set('Content-Type', 'multipart/form-data; boundary=xyz').send('--xyz--\r\n');
      expectProblem(res, 400, 'text', /at least one of image, audio and text/);
      expect(problem(res).errors.map((e) => e.field)).toEqual(['image', 'audio', 'text']);
    });

    it('answers 400 naming image, audio and text for a POST with nothing in it (no body, no Content-Type)', async () => {
      const res = await analyze();
      expect(res.status).toBe(400);
      expect(
        problem(res)
          .errors.map((e) => e.field)
          .sort(),
      ).toEqual(['audio', 'image', 'text']);
    });

    it('reads text sent as a file part (as HTTP clients send a value with a filename)', async () => {
      const res = await analyze().attach('text', Buffer.from('I am so happy today!'), { filename: 'text', contentType: 'text/plain' }).expect(200);
      expect((res.body as MultimodalAnalysisDto).text).toMatchObject({ language: 'en' });
    });

    it('answers 415 when the body is not multipart', async () => {
      const res = await analyze().send({ text: 'I am happy' });
      expectProblem(res, 415, 'body', /multipart\/form-data/);
    });

    it('answers 400 for empty or blank text', async () => {
      expectProblem(await analyze().field('text', ''), 400, 'text', /empty/);
      expectProblem(await analyze().field('text', '  \n\t '), 400, 'text', /empty/);
    });

    it('answers 413 for text over 5,000 characters (counted as characters, not bytes)', async () => {
      expectProblem(await analyze().field('text', 'a'.repeat(5001)), 413, 'text', /5001 characters; at most 5000/);
      // 5,000 Chinese characters are 15,000 bytes and within the limit; one more is not.
      expectProblem(await analyze().field('text', '开'.repeat(5001)), 413, 'text', /at most 5000/);
    });

    it('refuses a 3 MB text field while it streams (413 naming text)', async () => {
      const res = await analyze().field('text', 'x'.repeat(3 * 1024 * 1024));
      expectProblem(res, 413, 'text', /longer than/);
    });

    it('judges the type by the bytes: a GIF declared as PNG is 415 naming image', async () => {
      const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]);
      const res = await analyze().attach('image', gif, { filename: 'face.png', contentType: 'image/png' });
      expectProblem(res, 415, 'image', /JPEG, PNG or WebP.*GIF/);
    });

    it('judges the type by the bytes: a WAV sent as the image and a PNG sent as the audio are 415', async () => {
      expectProblem(await analyze().attach('image', wav, { filename: 'x.jpg', contentType: 'image/jpeg' }), 415, 'image', /WAV recording/);
      expectProblem(await analyze().attach('audio', png, { filename: 'x.wav', contentType: 'audio/wav' }), 415, 'audio', /WAV recording.*PNG image/);
    });

    it('answers 400 for files of the right type that cannot be decoded', async () => {
      const brokenPng = Buffer.concat([png.subarray(0, 8), Buffer.from('garbage, not a header chunk')]);
      expectProblem(await analyze().attach('image', brokenPng, 'broken.png'), 400, 'image', /cannot be decoded/);
      const brokenJpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0x00, 0x00]);
      expectProblem(await analyze().attach('image', brokenJpeg, 'broken.jpg'), 400, 'image', /cannot be decoded/);
      const headerOnlyWav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), Buffer.from('junkjunkjunk')]);
      expectProblem(await analyze().attach('audio', headerOnlyWav, 'broken.wav'), 400, 'audio', /cannot be decoded/);
    });

    it('answers 400 for empty files', async () => {
      expectProblem(await analyze().attach('image', Buffer.alloc(0), 'empty.png'), 400, 'image', /empty/);
      expectProblem(await analyze().attach('audio', Buffer.alloc(0), 'empty.wav'), 400, 'audio', /empty/);
    });

    it('answers 413 for an image over 10 MB', async () => {
      const big = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]);
      expectProblem(await analyze().attach('image', big, 'big.png'), 413, 'image', /larger than 10 MB/);
    });

    it('answers 413 for a picture of too many pixels (a decompression bomb)', async () => {
      const bomb = Buffer.from(png);
      bomb.writeUInt32BE(20_000, 16);
      bomb.writeUInt32BE(20_000, 20);
      expectProblem(await analyze().attach('image', bomb, 'bomb.png'), 413, 'image', /20000×20000 pixels/);
    });

    it('answers 413 for a recording over 30 s', async () => {
      expectProblem(await analyze().attach('audio', makeWav(31, 8000), 'long.wav'), 413, 'audio', /31\.0 s long; at most 30 s/);
    });

    it('answers 400 naming an unknown field or a repeated one', async () => {
      expectProblem(await analyze().field('text', 'hi').field('mood', 'happy'), 400, 'mood', /not a field/);
      expectProblem(await analyze().field('text', 'hi').field('text', 'again'), 400, 'text', /more than once/);
      expectProblem(await analyze().field('image', 'not a file'), 400, 'image', /must be sent as a file/);
    });

    it('cuts off a body larger than the whole form allows before reading it', async () => {
      const res = await analyze()
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .set('Content-Length', String(200 * 1024 * 1024))
        .send('--xyz--\r\n')
        .ok(() => true)
        .catch((error: { response?: request.Response }) => error.response);
      expect(res).toBeDefined();
      expectProblem(res!, 413, 'body', /larger than/);
    });

    it('runs two analyses of one user at once; more wait their turn (others are served meanwhile), and an abandoned upload frees its slot', async () => {
      await new Promise<void>((resolve) => (t.http.listening ? resolve() : t.http.listen(0, '127.0.0.1', resolve)));
      const { port } = t.http.address() as AddressInfo;
      const slots = t.app.get<MultimodalController, { slots: InFlightLimit }>(MultimodalController).slots;
      // Two uploads that have started and not ended hold alice's two slots.
      const slow = [0, 1].map(() => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/multimodal/analyze',
          headers: { ...auth(alice), 'Content-Type': 'multipart/form-data; boundary=slow' },
        });
        req.on('error', () => undefined);
        req.write('--slow\r\nContent-Disposition: form-data; name="text"\r\n\r\nstill typing');
        return req;
      });
      await eventually(() => Promise.resolve(slots.inFlight === 2 || undefined));
      let thirdDone = false;
      const third = analyze()
        .field('text', 'a third one')
        .then((res) => ((thirdDone = true), res));
      const bob = await registerUser(t.http);
      await request(t.http).post('/api/multimodal/analyze').set(auth(bob)).field('text', 'I am fine').expect(200);
      expect(thirdDone).toBe(false);
      for (const req of slow) req.destroy();
      expect((await third).status).toBe(200);
      // A client sending a few at once is served in turn.
      const parallel = await Promise.all(['one', 'two', 'three', 'four'].map((text) => analyze().field('text', `I am happy, ${text}`)));
      expect(parallel.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    });

    it('reports every bad field of one request', async () => {
      const res = await analyze().field('text', '').attach('audio', png, 'x.wav');
      expect(res.status).toBe(415);
      expect(
        problem(res)
          .errors.map((e) => e.field)
          .sort(),
      ).toEqual(['audio', 'text']);
    });
  });

  describe('music from a mood', () => {
    it("queues a music generation for the fused valence and arousal (the music module's job)", async () => {
      const res = await request(t.http).post('/api/multimodal/music').set(auth(alice)).send({ valence: -0.55, arousal: 0.3, durationSec: 10 }).expect(202);
      const accepted = res.body as JobAcceptedDto;
      expect(accepted).toMatchObject({ queue: 'music-generation', state: 'queued', statusUrl: `/api/music/generation/${accepted.id}/status` });
      const status = await request(t.http).get(accepted.statusUrl).set(auth(alice)).expect(200);
      expect(['queued', 'active', 'completed']).toContain((status.body as { state: string }).state);
    });

    it('gives the same piece for the same mood, length and seed (no second job), and a new one without a seed', async () => {
      const mood = { valence: 0.31, arousal: -0.42, durationSec: 10, seed: 4_000_000_001 };
      const first = (await request(t.http).post('/api/multimodal/music').set(auth(alice)).send(mood).expect(202)).body as JobAcceptedDto;
      const again = await request(t.http).post('/api/multimodal/music').set(auth(alice)).send(mood);
      expect([200, 202]).toContain(again.status);
      expect((again.body as JobAcceptedDto).id).toBe(first.id);
      const { seed: _seed, ...unseeded } = mood;
      const fresh = (await request(t.http).post('/api/multimodal/music').set(auth(alice)).send(unseeded).expect(202)).body as JobAcceptedDto;
      expect(fresh.id).not.toBe(first.id);
      expectProblem(
        await request(t.http)
          .post('/api/multimodal/music')
          .set(auth(alice))
          .send({ ...mood, seed: -1 }),
        400,
        'seed',
        /seed/,
      );
    });

    it('answers 400 naming the field for a mood out of range, and 404 for an analysis that is not yours', async () => {
      // The analyze answer's fused object, posted as it is.
      const { fused } = (await analyze().field('text', 'What a wonderful, happy day!').expect(200)).body as MultimodalAnalysisDto;
      await request(t.http).post('/api/multimodal/music').set(auth(alice)).send(fused).expect(202);
      expectProblem(await request(t.http).post('/api/multimodal/music').set(auth(alice)).send({ valence: 2, arousal: 0 }), 400, 'valence', /valence/);
      expectProblem(await request(t.http).post('/api/multimodal/music').set(auth(alice)).send({ arousal: 0 }), 400, 'valence', /valence/);
      await request(t.http).post('/api/multimodal/music').set(auth(alice)).send({ analysisId: randomUUID() }).expect(404);
      await request(t.http).get(`/api/multimodal/analyses/${randomUUID()}`).set(auth(alice)).expect(404);
    });
  });

  describe('stories', () => {
    const story =
      'The village was grey and poor, and the winter was long.\n\nThen a girl found a golden seed and planted it.\n\nIn spring the whole valley bloomed and everyone was happy.';

    it('takes a failed story back to active when an operator runs its job again, clearing the error', async () => {
      const repository = t.app.get(MultimodalRepository);
      const id = randomUUID();
      await repository.insertStory({ id, userId: alice.user.id, title: 'Retried', text: story, seed: 1 });
      await repository.failStory(id, 'the render workers were gone');
      await expect(repository.markStoryActive(id)).resolves.toBe(true);
      expect(await repository.findStory(id, alice.user.id)).toMatchObject({ state: 'active', error: null, finishedAt: null });
      await repository.deleteStory(id, alice.user.id);
      await expect(repository.markStoryActive(id)).resolves.toBe(false);
    });

    it('answers 400 naming text for an empty story or one over 20,000 characters', async () => {
      expectProblem(await request(t.http).post('/api/multimodal/stories').set(auth(alice)).send({ text: '   ' }), 400, 'text', /empty/);
      expectProblem(
        await request(t.http)
          .post('/api/multimodal/stories')
          .set(auth(alice))
          .send({ text: 'a'.repeat(20_001) }),
        400,
        'text',
        /at most 20000/,
      );
      expectProblem(await request(t.http).post('/api/multimodal/stories').set(auth(alice)).send({}), 400, 'text', /string/);
    });

    it('sets a story to music: stages, scenes, arc and shape, timeline, audio and MIDI; another user gets 404', async () => {
      const accepted = (
        await request(t.http).post('/api/multimodal/stories').set(auth(alice)).send({ text: story, title: 'Seed', seed: 5, durationSec: 30 }).expect(202)
      ).body as JobAcceptedDto;
      const stages = new Set<string>();
      const done = await eventually(
        async () => {
          const current = (await request(t.http).get(accepted.statusUrl).set(auth(alice)).expect(200)).body as StoryStatusDto;
          stages.add(current.progress.stage);
          if (current.state === 'failed') throw new Error(`story failed: ${current.error}`);
          return current.state === 'completed' ? current : undefined;
        },
        { timeoutMs: 150_000, intervalMs: 100 },
      );
      expect([...stages].every((stage) => ['queued', 'active', 'scenes', 'arc', 'composing', 'rendering', 'encoding', 'storing', 'done'].includes(stage))).toBe(
        true,
      );
      expect(done).toMatchObject({ title: 'Seed', text: story, progress: { percent: 100, stage: 'done' } });
      const result = done.result!;
      expect(result.storyId).toBe(accepted.id);
      expect(result.language).toBe('en');
      expect(result.scenes.length).toBeGreaterThanOrEqual(2);
      for (const scene of result.scenes) {
        expect(story.slice(scene.start, scene.end).trim().length).toBeGreaterThan(0);
        expectAffect({ ...scene, confidence: 0.5 });
      }
      expect(ARC_SHAPES).toContain(result.arc.shape);
      expect(result.arc.valence).toHaveLength(result.scenes.length);
      // Every scene has its time in the audio, in order, within the piece.
      expect(result.timeline.map((entry) => entry.scene)).toEqual(result.scenes.map((scene) => scene.index));
      for (const [i, entry] of result.timeline.entries()) {
        expect(entry.endSec).toBeGreaterThan(entry.startSec);
        if (i > 0) expect(entry.startSec).toBeCloseTo(result.timeline[i - 1].endSec, 1);
        expect(entry.tempo).toBeGreaterThan(0);
        expect(entry.key).toMatch(/^[A-G][#b]? (major|minor|\w+)$/);
      }
      expect(result.durationSec).toBeGreaterThanOrEqual(result.timeline.at(-1)!.endSec - 0.5);

      const audio = await request(t.http).get(result.audioUrl).set(auth(alice)).set('Range', 'bytes=0-99').buffer(true).expect(206);
      expect(audio.headers['content-type']).toBe('audio/mpeg');
      const wavHead = await request(t.http)
        .get(`/api/multimodal/stories/${accepted.id}/audio?format=wav`)
        .set(auth(alice))
        .set('Range', 'bytes=0-11')
        .buffer(true)
        .expect(206);
      expect(
        Buffer.from(wavHead.body as Buffer)
          .subarray(0, 4)
          .toString('ascii'),
      ).toBe('RIFF');
      const midi = await request(t.http).get(`${result.midiUrl}?access_token=${alice.accessToken}`).buffer(true).expect(200);
      expect(
        Buffer.from(midi.body as Buffer)
          .subarray(0, 4)
          .toString('ascii'),
      ).toBe('MThd');

      const bob = await registerUser(t.http);
      await request(t.http).get(accepted.statusUrl).set(auth(bob)).expect(404);
      await request(t.http).get(result.audioUrl).set(auth(bob)).expect(404);
      const history = (await request(t.http).get('/api/multimodal/stories').set(auth(alice)).expect(200)).body as StoryHistoryPageDto;
      expect(history.items.find((item) => item.id === accepted.id)).toMatchObject({
        state: 'completed',
        shape: result.arc.shape,
        scenes: result.scenes.length,
      });
    });

    it('accepts a story as a job (202, status URL, events URL), lists it, hides it from other users and deletes it', async () => {
      const res = await request(t.http).post('/api/multimodal/stories').set(auth(alice)).send({ text: story, seed: 11 }).expect(202);
      const accepted = res.body as JobAcceptedDto;
      expect(accepted).toMatchObject({
        queue: 'multimodal-story',
        state: 'queued',
        statusUrl: `/api/multimodal/stories/${accepted.id}`,
        eventsUrl: `/api/jobs/multimodal-story/${accepted.id}/events`,
      });
      const status = (await request(t.http).get(accepted.statusUrl).set(auth(alice)).expect(200)).body as StoryStatusDto;
      expect(status).toMatchObject({ id: accepted.id, title: 'The village was grey and poor, and the winter was long.', text: story });

      const bob = await registerUser(t.http);
      await request(t.http).get(accepted.statusUrl).set(auth(bob)).expect(404);
      await request(t.http).get(`${accepted.statusUrl}/audio`).set(auth(bob)).expect(404);
      await request(t.http).delete(accepted.statusUrl).set(auth(bob)).expect(404);
      expect(((await request(t.http).get('/api/multimodal/stories').set(auth(bob)).expect(200)).body as StoryHistoryPageDto).total).toBe(0);

      const history = (await request(t.http).get('/api/multimodal/stories').set(auth(alice)).expect(200)).body as StoryHistoryPageDto;
      expect(history.items.map((item) => item.id)).toContain(accepted.id);

      await request(t.http).delete(accepted.statusUrl).set(auth(alice)).expect(204);
      await request(t.http).get(accepted.statusUrl).set(auth(alice)).expect(404);
    });
  });

  describe('analysis', () => {
    it('reads a picture: its faces or, with none found, the whole picture, fused with weight 1', async () => {
      const res = await analyze().attach('image', png, { filename: 'gradient.png', contentType: 'application/octet-stream' }).expect(200);
      const body = res.body as MultimodalAnalysisDto;
      expect(Object.keys(body).sort()).toEqual(['face', 'fused']);
      const face = body.face!;
      expect(['face', 'whole-image']).toContain(face.detector);
      expect(FACE_EMOTIONS).toContain(face.emotion);
      for (const found of face.faces) {
        expect(Object.keys(found.probabilities).sort()).toEqual([...FACE_EMOTIONS].sort());
        expect(Object.values(found.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
        expect(found.box.x + found.box.width).toBeLessThanOrEqual(64 + 1);
      }
      expectAffect(face);
      expect(body.fused.weights).toEqual({ face: 1 });
      expect(body.fused.emotion).toBe(face.emotion);
    });

    it('reads an English line as text only: label, valence and arousal, language, and a fusion of one', async () => {
      const res = await analyze().field('text', 'I am so happy and grateful, this is the best day of my life!').expect(200);
      const body = res.body as MultimodalAnalysisDto;
      expect(Object.keys(body).sort()).toEqual(['fused', 'text']);
      expect(Object.keys(body.text!).sort()).toEqual(['arousal', 'confidence', 'emotion', 'language', 'valence']);
      expect(body.text).toMatchObject({ language: 'en', emotion: 'happy' });
      expect(body.text!.valence).toBeGreaterThan(0.2);
      expectAffect(body.text!);
      expect(Object.keys(body.fused).sort()).toEqual(['arousal', 'confidence', 'disagreement', 'emotion', 'valence', 'weights']);
      expect(body.fused.weights).toEqual({ text: 1 });
      expect(body.fused.disagreement).toBe(0);

      const sad = (await analyze().field('text', 'My dog died this morning and I cannot stop crying.').expect(200)).body as MultimodalAnalysisDto;
      expect(sad.text!.valence).toBeLessThan(body.text!.valence);
      expect(sad.text!.valence).toBeLessThan(0);
    });

    it('reads Chinese text', async () => {
      const body = (await analyze().field('text', '今天考试通过了，我太开心了！').expect(200)).body as MultimodalAnalysisDto;
      expect(body.text).toMatchObject({ language: 'zh' });
      expectAffect(body.text!);
    });

    it('reads a recording: voice probabilities over the labels, and fuses it with text, weights summing to 1', async () => {
      const res = await analyze()
        .attach('audio', wav, { filename: 'voice.wav', contentType: 'audio/wav' })
        .field('text', 'What a wonderful surprise!')
        .expect(200);
      const body = res.body as MultimodalAnalysisDto;
      expect(Object.keys(body).sort()).toEqual(['fused', 'text', 'voice']);
      const voice = body.voice!;
      expect(VOICE_EMOTIONS).toContain(voice.emotion);
      const probabilities = Object.entries(voice.probabilities);
      expect(probabilities.every(([label]) => (VOICE_EMOTIONS as readonly string[]).includes(label))).toBe(true);
      expect(probabilities.reduce((sum, [, p]) => sum + p, 0)).toBeCloseTo(1, 3);
      expectAffect(voice);
      expect(Object.keys(body.fused.weights).sort()).toEqual(['text', 'voice']);
      expect(body.fused.weights.text! + body.fused.weights.voice!).toBeCloseTo(1, 5);
      expect(body.fused.disagreement).toBeGreaterThanOrEqual(0);
      expect(body.fused.disagreement).toBeLessThanOrEqual(1);
    });

    it('answers 400 naming audio for a WAV the voice recogniser cannot read (silence)', async () => {
      const silence = makeWav(2, 16000, () => 0);
      expectProblem(await analyze().attach('audio', silence, 'silence.wav'), 400, 'audio', /./);
    });

    it('answers 400 naming audio for a recording in which no speech stands out (a steady hum)', async () => {
      const hum = makeWav(2, 16000, (t) => 0.2 * Math.sin(2 * Math.PI * 100 * t));
      expectProblem(await analyze().attach('audio', hum, 'hum.wav'), 400, 'audio', /no speech stands out/);
    });

    it('stores nothing unless saved; a saved analysis keeps its picture and text, makes music, and is private and deletable', async () => {
      const saved = (
        await request(t.http).post('/api/multimodal/analyses').set(auth(alice)).attach('image', png, 'me.png').field('text', 'So happy to see you!').expect(201)
      ).body as SavedAnalysisDto;
      expect(saved).toMatchObject({
        text: 'So happy to see you!',
        image: { type: 'png', width: 64, height: 48, url: `/api/multimodal/analyses/${saved.id}/image` },
      });
      expect(Object.keys(saved.analysis).sort()).toEqual(['face', 'fused', 'text']);
      const picture = await request(t.http).get(`${saved.image!.url}?access_token=${alice.accessToken}`).buffer(true).expect(200);
      expect(picture.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(Buffer.from(picture.body as Buffer), png)).toBe(0);
      await request(t.http).get(`/api/multimodal/analyses/${saved.id}/audio`).set(auth(alice)).expect(404);

      const list = (await request(t.http).get('/api/multimodal/analyses').set(auth(alice)).expect(200)).body as SavedAnalysisPageDto;
      expect(list.items.map((item) => item.id)).toEqual([saved.id]); // the earlier analyze calls stored nothing

      const music = (await request(t.http).post('/api/multimodal/music').set(auth(alice)).send({ analysisId: saved.id, durationSec: 10 }).expect(202))
        .body as JobAcceptedDto;
      expect(music.queue).toBe('music-generation');
      expectProblem(
        await request(t.http).post('/api/multimodal/music').set(auth(alice)).send({ analysisId: saved.id, valence: 0.2 }),
        400,
        'valence',
        /either analysisId or valence/,
      );

      const bob = await registerUser(t.http);
      await request(t.http).get(`/api/multimodal/analyses/${saved.id}`).set(auth(bob)).expect(404);
      await request(t.http).get(saved.image!.url).set(auth(bob)).expect(404);
      await request(t.http).post('/api/multimodal/music').set(auth(bob)).send({ analysisId: saved.id }).expect(404);
      await request(t.http).delete(`/api/multimodal/analyses/${saved.id}`).set(auth(bob)).expect(404);

      await request(t.http).delete(`/api/multimodal/analyses/${saved.id}`).set(auth(alice)).expect(204);
      await request(t.http).get(`/api/multimodal/analyses/${saved.id}`).set(auth(alice)).expect(404);
      await request(t.http).get(saved.image!.url).set(auth(alice)).expect(404);
    });

    it('answers 400 naming image when a PNG header hides pixels that cannot be decoded', async () => {
      const truncated = png.subarray(0, 40);
      expectProblem(await analyze().attach('image', truncated, 'cut.png'), 400, 'image', /cannot be decoded/);
    });
  });

  describe("a user's voice baseline", () => {
    it('is kept in the database from recording to recording, not counted twice when saved, and forgotten on request', async () => {
      const carol = await registerUser(t.http);
      const baselines = t.app.get(VoiceBaselinesRepository);
      const post = (path: string, file: Buffer) => request(t.http).post(`/api/multimodal/${path}`).set(auth(carol)).attach('audio', file, 'me.wav');
      await post('analyze', makeWav(2)).expect(200);
      await post('analyze', makeWav(3)).expect(200);
      const stored = await baselines.find(carol.user.id);
      expect(stored?.recordings).toBe(2);
      expect(stored?.mean).toHaveLength(VOICE_FEATURE_NAMES.length);
      expect(stored?.mean.every(Number.isFinite)).toBe(true);

      await post('analyses', makeWav(2)).expect(201);
      expect((await baselines.find(carol.user.id))?.recordings).toBe(2);
      await post(
        'analyze',
        makeWav(2, 16000, () => 0),
      ).expect(400); // silence: nothing learnt
      expect((await baselines.find(carol.user.id))?.recordings).toBe(2);
      expect(await baselines.find(alice.user.id)).not.toEqual(stored);

      await request(t.http).delete('/api/multimodal/voice-baseline').expect(401);
      // An analysis that read the baseline before the user asked to forget it stores its update after: it stays forgotten.
      const read = (await baselines.find(carol.user.id))!;
      await request(t.http).delete('/api/multimodal/voice-baseline').set(auth(carol)).expect(204);
      await baselines.save(carol.user.id, { recordings: read.recordings + 1, mean: read.mean }, read.recordings);
      expect(await baselines.find(carol.user.id)).toBeUndefined();
      await request(t.http).delete('/api/multimodal/voice-baseline').set(auth(carol)).expect(204);
      await post('analyze', makeWav(2)).expect(200);
      expect((await baselines.find(carol.user.id))?.recordings).toBe(1);
    });
  });
});
