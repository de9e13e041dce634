import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import type { AssessmentDto } from '../src/tutor/dto/assessment.dto';
import { performanceWav, type PerformedNote } from './support/melody-wav';
import { registerUser, startTestApp, type Session, type TestApp } from './support/test-app';

const problem = (res: request.Response) => res.body as ProblemDetails & { errors?: FieldError[] };

/** Eight notes at 100 BPM: C4 D4 E4 F4 G4 E4 D4 C4. */
const MELODY: PerformedNote[] = [60, 62, 64, 65, 67, 64, 62, 60].map((pitch, i) => ({ pitch, start: i * 0.6, duration: 0.5 }));
const REFERENCE = JSON.stringify({ notes: MELODY });

/** POST /api/tutor/assess end to end: multipart upload, worker-thread assessment, the exact contract, bad input. */
describe('tutor assessment (e2e)', () => {
  let t: TestApp;
  let user: Session;
  const auth = () => ({ Authorization: `Bearer ${user.accessToken}` });
  const assess = () => request(t.http).post('/api/tutor/assess').set(auth());

  beforeAll(async () => {
    t = await startTestApp({ env: { TUTOR_MAX_AUDIO_BYTES: String(4 * 1024 * 1024) } });
    user = await registerUser(t.http);
  });
  afterAll(() => t.close());

  it('calls a faithful performance correct note by note, with exactly the contract fields', async () => {
    const wav = performanceWav(MELODY, { leadIn: 0.7 });
    const res = await assess().attach('audio', wav, 'take.wav').field('reference', REFERENCE).expect(200);
    const body = res.body as AssessmentDto;
    expect(Object.keys(body).sort()).toEqual(['extra', 'feedback', 'notes', 'score']);
    expect(body.notes.map((n) => n.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(body.notes.map((n) => n.verdict)).toEqual(Array(8).fill('correct'));
    for (const note of body.notes) {
      expect(Object.keys(note).every((k) => ['index', 'verdict', 'detectedPitch', 'pitchErrorCents', 'onsetErrorMs'].includes(k))).toBe(true);
      expect(Math.abs(note.pitchErrorCents!)).toBeLessThan(50);
      expect(Math.abs(note.onsetErrorMs!)).toBeLessThan(120);
    }
    expect(body.score).toBeGreaterThanOrEqual(90);
    expect(body.score).toBeLessThanOrEqual(100);
    expect(body.extra).toEqual([]);
    expect(body.feedback.length).toBeGreaterThan(0);
  });

  it('finds a wrong note in a stereo float take at 22.05 kHz and names it in the feedback', async () => {
    const played = MELODY.map((n, i) => (i === 3 ? { ...n, pitch: n.pitch + 2 } : n));
    const wav = performanceWav(played, { sampleRate: 22_050, encoding: 'float32', channels: 2 });
    const body = (await assess().attach('audio', wav, 'take.wav').field('reference', REFERENCE).expect(200)).body as AssessmentDto;
    expect(body.notes[3]).toMatchObject({ index: 3, verdict: 'wrong-pitch' });
    expect(body.notes[3].detectedPitch).toBeCloseTo(67, 0);
    expect(body.notes.filter((n, i) => i !== 3).map((n) => n.verdict)).toEqual(Array(7).fill('correct'));
    expect(body.score).toBeLessThan(95);
    expect(body.feedback.join(' ')).toMatch(/Note 4/);
  });

  it('reports a missed note and a late note', async () => {
    const played = MELODY.filter((_, i) => i !== 5).map((n, i) => (i === 2 ? { ...n, start: n.start + 0.25 } : n));
    const body = (await assess().attach('audio', performanceWav(played), 'take.wav').field('reference', REFERENCE).expect(200)).body as AssessmentDto;
    expect(body.notes[5]).toEqual({ index: 5, verdict: 'missed' });
    expect(body.notes[2].verdict).toBe('late');
    expect(body.notes[2].onsetErrorMs).toBeGreaterThan(120);
  });

  it.each([
    ['the top octave of the piano (C7–C8)', [96, 98, 100, 101, 103, 105, 107, 108]],
    ['a bass line from E1', [28, 31, 33, 35, 36, 38, 40, 36]],
  ])('calls %s played perfectly correct, note by note', async (_, pitches) => {
    const melody = pitches.map((pitch, i) => ({ pitch, start: i * 0.5, duration: 0.45 }));
    const res = await assess()
      .attach('audio', performanceWav(melody), 'take.wav')
      .field('reference', JSON.stringify({ notes: melody }))
      .expect(200);
    const body = res.body as AssessmentDto;
    expect(body.notes.map((n) => n.verdict)).toEqual(Array(8).fill('correct'));
    for (const note of body.notes) expect(Math.abs(note.pitchErrorCents!)).toBeLessThan(25);
    expect(body.extra).toEqual([]);
  });

  it('answers 400 naming reference and the range for a pitch that is not a MIDI note', async () => {
    for (const pitch of [-1, 128]) {
      const reference = JSON.stringify({ notes: [...MELODY.slice(0, 2), { pitch, start: 1.2, duration: 0.5 }] });
      const res = await assess()
        .attach('audio', performanceWav(MELODY.slice(0, 3)), 'take.wav')
        .field('reference', reference)
        .expect(400);
      expect(problem(res).errors?.[0].field).toBe('reference');
      expect(problem(res).detail).toBe('reference.notes[2].pitch must be an integer MIDI note 0–127.');
    }
  });

  it('answers 400 naming audio when there is no audio, or it is not a WAV', async () => {
    let res = await assess().field('reference', REFERENCE).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(problem(res).errors).toEqual([{ field: 'audio', message: expect.stringMatching(/required/) as string }]);

    res = await assess().attach('audio', Buffer.from('this is not a wave file at all'), 'take.wav').field('reference', REFERENCE).expect(400);
    expect(problem(res).errors?.[0].field).toBe('audio');
    expect(problem(res).detail).toMatch(/not a WAV/);

    const broken = performanceWav(MELODY).subarray(0, 30);
    res = await assess().attach('audio', broken, 'take.wav').field('reference', REFERENCE).expect(400);
    expect(problem(res).errors?.[0].field).toBe('audio');
  });

  it('answers 400 naming reference when it is missing, not JSON, has no notes or an invalid note', async () => {
    const wav = performanceWav(MELODY.slice(0, 2));
    for (const reference of [undefined, '{notes: [}', '{"notes": []}', '[]', JSON.stringify({ notes: [{ pitch: 60.5, start: 0, duration: 1 }] })]) {
      const req = assess().attach('audio', wav, 'take.wav');
      const res = await (reference === undefined ? req : req.field('reference', reference)).expect(400);
      expect(problem(res).errors?.[0].field).toBe('reference');
      expect(problem(res).detail).toMatch(/^reference/);
    }
  });

  it('answers 413 for a recording over 60 s and for an upload over the byte limit', async () => {
    const long = performanceWav([{ pitch: 60, start: 0, duration: 1 }], { sampleRate: 8000, totalSec: 61 });
    let res = await assess().attach('audio', long, 'take.wav').field('reference', REFERENCE).expect(413);
    expect(problem(res).errors?.[0].field).toBe('audio');
    expect(problem(res).detail).toMatch(/60 s/);

    const huge = performanceWav([{ pitch: 60, start: 0, duration: 1 }], { sampleRate: 48_000, channels: 2, encoding: 'float32', totalSec: 12 });
    res = await assess().attach('audio', huge, 'take.wav').field('reference', REFERENCE).expect(413);
    expect(problem(res).errors?.[0].field).toBe('audio');
  });

  it('refuses a JSON body with 415 and an anonymous caller with 401', async () => {
    await assess().send({ reference: REFERENCE }).expect(415);
    await request(t.http).post('/api/tutor/assess').attach('audio', performanceWav(MELODY), 'take.wav').field('reference', REFERENCE).expect(401);
  });
});
