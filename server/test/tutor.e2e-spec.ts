import { sql } from 'kysely';
import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import type { AttemptResultDto, CourseMapDto, ExerciseDto, HistoryPageDto, ProgressDto, TodayPlanDto, TutorSettingsDto } from '../src/tutor/dto/tutor.dto';
import type { ChoiceExercise, NoteReadingExercise, RhythmExercise } from '../src/tutor/engine';
import { DATABASE, type Database } from '../src/core/db/database';
import { TutorRepository } from '../src/tutor/tutor.repository';
import { dayOf } from '../src/tutor/tutor-streak';
import { performanceWav } from './support/melody-wav';
import { registerUser, startTestApp, type Session, type TestApp } from './support/test-app';

const problem = (res: request.Response) => res.body as ProblemDetails & { errors?: FieldError[] };

// Exercise audio is rendered by the SoundFont workers, which start with the first render (seconds on a loaded machine).
jest.setTimeout(120_000);

/** The tutor's product endpoints end to end: course map, plan, exercises with audio, attempts, progress, history. */
describe('tutor lessons (e2e)', () => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  let repository: TutorRepository;
  const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });
  const next = async (s: Session, skillId?: string) =>
    (
      await request(t.http)
        .post('/api/tutor/exercises/next')
        .set(auth(s))
        .send(skillId ? { skillId } : {})
        .expect(200)
    ).body as ExerciseDto;
  const stored = async <T>(s: Session, id: string) => (await repository.findExercise(id, s.user.id))!.exercise as T;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await registerUser(t.http);
    bob = await registerUser(t.http);
    repository = t.app.get(TutorRepository);
  });
  afterAll(() => t.close());

  it("shows a new learner the course map, with only foundations open, and today's plan with reasons", async () => {
    const map = (await request(t.http).get('/api/tutor/skills').set(auth(alice)).expect(200)).body as CourseMapDto;
    expect(map.areas.map((a) => a.area)).toEqual(['note-reading', 'intervals', 'scales', 'chords', 'rhythm', 'sight-singing', 'play-back']);
    expect(map.total).toBe(35);
    expect(map.mastered).toBe(0);
    const skills = map.areas.flatMap((a) => a.skills);
    expect(skills.find((s) => s.id === 'intervals.1')).toMatchObject({ unlocked: true, mastered: false, attempts: 0 });
    expect(skills.find((s) => s.id === 'intervals.2')).toMatchObject({ unlocked: false });
    expect(skills.find((s) => s.id === 'play-back.1')).toMatchObject({ unlocked: false, prerequisites: ['intervals.1'] });
    for (const s of skills) expect(s.mastery).toBeGreaterThanOrEqual(0);

    const plan = (await request(t.http).get('/api/tutor/plan').set(auth(alice)).expect(200)).body as TodayPlanDto;
    expect(plan.reviews).toEqual([]);
    expect(plan.newMaterial.length).toBeGreaterThan(0);
    expect(plan.newMaterial[0].reason).toMatch(/^Start /);
    expect(plan.summary[0]).toBe('No reviews due today.');
    expect(plan.streak).toEqual({ current: 0, longest: 0, practisedToday: false });
    expect(plan.attemptsToday).toBe(0);
  });

  it('hands out an ear-training exercise with its audio and grades the answer, moving ability, FSRS card and streak', async () => {
    const exercise = await next(alice, 'intervals.1');
    expect(exercise).toMatchObject({
      skillId: 'intervals.1',
      planKind: 'chosen',
      answerFormat: 'choice',
      audioUrl: `/api/tutor/exercises/${exercise.id}/audio`,
    });
    expect(exercise.choices!.length).toBeGreaterThan(1);
    expect(JSON.stringify(exercise)).not.toMatch(/"answer"/);

    const audio = await request(t.http).get(`/api/tutor/exercises/${exercise.id}/audio`).query({ access_token: alice.accessToken }).buffer(true).expect(200);
    expect(audio.headers['content-type']).toBe('audio/mpeg');
    expect((audio.body as Buffer).length).toBeGreaterThan(2000);
    await request(t.http).get(`/api/tutor/exercises/${exercise.id}/audio`).set(auth(bob)).expect(404);

    await request(t.http).post(`/api/tutor/exercises/${exercise.id}/answer`).set(auth(alice)).send({ answer: 'a kazoo' }).expect(400);
    const right = (await stored<ChoiceExercise>(alice, exercise.id)).answer;
    // Nothing the page shows before the answer names it: not the item's label, not the reason.
    expect(`${exercise.itemLabel} ${exercise.reason}`).not.toContain(right);
    const result = (await request(t.http).post(`/api/tutor/exercises/${exercise.id}/answer`).set(auth(alice)).send({ answer: right }).expect(200))
      .body as AttemptResultDto;
    expect(result).toMatchObject({ exerciseId: exercise.id, correct: true, score: 100, correctAnswer: [right], streak: { current: 1, practisedToday: true } });
    expect(result.ability.after).toBeGreaterThan(result.ability.before);
    expect(Date.parse(result.nextReview)).toBeGreaterThan(Date.now());
    expect(result.nextStep.reason.length).toBeGreaterThan(10);

    const again = await request(t.http).post(`/api/tutor/exercises/${exercise.id}/answer`).set(auth(alice)).send({ answer: right }).expect(409);
    expect(problem(again).detail).toMatch(/already answered/);
    // The next exercise is the one the answer announced.
    const following = await next(alice);
    expect({ skillId: following.skillId, reason: following.reason }).toEqual(result.nextStep);
  });

  it('lowers ability after a wrong answer', async () => {
    const exercise = await next(alice, 'intervals.1');
    const { answer, choices } = await stored<ChoiceExercise>(alice, exercise.id);
    const wrong = choices.find((c) => c !== answer)!;
    const result = (await request(t.http).post(`/api/tutor/exercises/${exercise.id}/answer`).set(auth(alice)).send({ answer: wrong }).expect(200))
      .body as AttemptResultDto;
    expect(result).toMatchObject({ correct: false, score: 0, correctAnswer: [answer] });
    expect(result.ability.after).toBeLessThan(result.ability.before);
  });

  it('grades note names and rhythm taps, and names a missing field', async () => {
    const reading = await next(alice, 'note-reading.1');
    expect(reading).toMatchObject({ answerFormat: 'names', noteCount: 4 });
    expect(reading.notation!.abc).toMatch(/^X:1\n/);
    expect(reading.audioUrl).toBeUndefined();
    const bad = await request(t.http).post(`/api/tutor/exercises/${reading.id}/answer`).set(auth(alice)).send({}).expect(400);
    expect(problem(bad).errors?.[0].field).toBe('names');
    const names = (await stored<NoteReadingExercise>(alice, reading.id)).answer;
    const read = (await request(t.http).post(`/api/tutor/exercises/${reading.id}/answer`).set(auth(alice)).send({ names }).expect(200))
      .body as AttemptResultDto;
    expect(read).toMatchObject({ correct: true, score: 100 });

    const rhythm = await next(alice, 'rhythm.1');
    expect(rhythm).toMatchObject({ answerFormat: 'taps', countInBeats: expect.any(Number) as number, bpm: 80 });
    const expected = (await stored<RhythmExercise>(alice, rhythm.id)).expectedTaps;
    const taps = expected.map((x, i) => x + 0.03 + (i % 2 ? 0.02 : -0.02));
    const notNumbers = await request(t.http)
      .post(`/api/tutor/exercises/${rhythm.id}/answer`)
      .set(auth(alice))
      .send({ taps: ['', true, '0x10'] })
      .expect(400);
    expect(problem(notNumbers).errors?.map((e) => e.field)).toContain('taps');
    const tapped = (await request(t.http).post(`/api/tutor/exercises/${rhythm.id}/answer`).set(auth(alice)).send({ taps }).expect(200))
      .body as AttemptResultDto;
    expect(tapped.correct).toBe(true);
    expect(tapped.taps!.map((x) => x.verdict)).toEqual(expected.map(() => 'on-time'));
  });

  it('lets a learner try a skill ahead of the plan, says so, and refuses an unknown skill and another learner’s exercise', async () => {
    const ahead = await next(alice, 'intervals.5');
    expect(ahead).toMatchObject({ skillId: 'intervals.5', planKind: 'chosen' });
    expect(ahead.reason).toMatch(/ahead of your plan: .* not mastered yet/);
    expect(problem(await request(t.http).post('/api/tutor/exercises/next').set(auth(alice)).send({ skillId: 'banjo.1' }).expect(400)).errors?.[0].field).toBe(
      'skillId',
    );
    // The item a plan entry names (a review due today) is the one served.
    const item = (await request(t.http).post('/api/tutor/exercises/next').set(auth(alice)).send({ itemId: 'intervals.1:7' }).expect(200)).body as ExerciseDto;
    expect(item).toMatchObject({ itemId: 'intervals.1:7', skillId: 'intervals.1' });
    for (const body of [{ itemId: 'intervals.1:99' }, { itemId: 'banjo.1:1' }, { skillId: 'intervals.2', itemId: 'intervals.1:7' }]) {
      expect(problem(await request(t.http).post('/api/tutor/exercises/next').set(auth(alice)).send(body).expect(400)).errors?.[0].field).toBe('itemId');
    }
    const mine = await next(alice);
    await request(t.http).get(`/api/tutor/exercises/${mine.id}`).set(auth(bob)).expect(404);
    await request(t.http).post(`/api/tutor/exercises/${mine.id}/answer`).set(auth(bob)).send({ answer: 'x' }).expect(404);
  });

  it('assesses a sung play-back take note by note, and records it', async () => {
    // Bob has mastered intervals.1 (as eight good attempts would leave it), so play-back.1 is in his plan.
    await repository.forLearner(bob.user.id, (tx) =>
      tx.saveAbility(bob.user.id, 'intervals.1', { theta: 3, attempts: 8, successes: 8, lastPracticed: new Date().toISOString() }),
    );
    const exercise = await next(bob, 'play-back.1');
    expect(exercise.reason).not.toMatch(/ahead of your plan/);
    expect(exercise).toMatchObject({ kind: 'play-back', answerFormat: 'recording', bpm: 72 });
    expect(exercise.melody!.length).toBeGreaterThanOrEqual(3);
    expect(exercise.notation!.abc).toContain('K:');

    const asJson = await request(t.http).post(`/api/tutor/exercises/${exercise.id}/answer`).set(auth(bob)).send({ answer: 'x' }).expect(400);
    expect(problem(asJson).errors).toEqual([expect.objectContaining({ field: 'answer' })]);
    await request(t.http).post(`/api/tutor/exercises/${exercise.id}/recording`).set(auth(bob)).field('note', 'no audio').expect(400);

    const take = performanceWav(exercise.melody!, { leadIn: 1.2, sampleRate: 48_000 });
    const result = (await request(t.http).post(`/api/tutor/exercises/${exercise.id}/recording`).set(auth(bob)).attach('audio', take, 'take.wav').expect(200))
      .body as AttemptResultDto;
    expect(result.assessment!.notes.map((n) => n.verdict)).toEqual(exercise.melody!.map(() => 'correct'));
    expect(result.correct).toBe(true);
    expect(result.score).toBe(result.assessment!.score);
    expect(result.detected!.length).toBe(exercise.melody!.length);
    expect(Math.abs(result.detected![0].start - exercise.melody![0].start)).toBeLessThan(0.12);
    expect(result.feedback).toEqual(result.assessment!.feedback);
  });

  it("reports progress, history and a plan that changed with the learner's results", async () => {
    const progress = (await request(t.http).get('/api/tutor/progress').set(auth(alice)).expect(200)).body as ProgressDto;
    expect(progress.attempts).toBe(4);
    expect(progress.streak.current).toBe(1);
    const intervals = progress.series.find((s) => s.skillId === 'intervals.1')!;
    expect(intervals.points).toHaveLength(2);
    expect(intervals.points[1].ability).toBeLessThan(intervals.points[0].ability);
    expect(progress.daily).toEqual([{ date: new Date().toISOString().slice(0, 10), attempts: 4, meanScore: 75 }]);

    const history = (await request(t.http).get('/api/tutor/history?pageSize=3').set(auth(alice)).expect(200)).body as HistoryPageDto;
    expect(history).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(history.items.map((i) => i.kind)).toEqual(['rhythm', 'note-reading', 'interval']);
    await request(t.http).get('/api/tutor/history?pageSize=500').set(auth(alice)).expect(400);

    const plan = (await request(t.http).get('/api/tutor/plan').set(auth(alice)).expect(200)).body as TodayPlanDto;
    expect(plan.attemptsToday).toBe(4);
    expect(plan.streak.practisedToday).toBe(true);
    const reasons = [...plan.newMaterial, ...plan.recommendations].map((e) => e.reason).join(' ');
    expect(reasons).toMatch(/after \d+ attempts/);
  });

  it("counts days in the learner's time zone, canonicalises it, and refuses one that is not a zone", async () => {
    expect((await request(t.http).get('/api/tutor/settings').set(auth(alice)).expect(200)).body).toEqual({ timeZone: 'UTC' });
    for (const timeZone of ['Mars/Olympus', '', 42, '+08:00']) {
      const bad = await request(t.http).put('/api/tutor/settings').set(auth(alice)).send({ timeZone }).expect(400);
      expect(problem(bad).errors?.map((e) => e.field)).toEqual(['timeZone']);
    }
    // A zone whose calendar day differs from UTC's right now: Kiritimati is UTC+14, Pago Pago UTC−11.
    const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const set = await request(t.http).put('/api/tutor/settings').set(auth(alice)).send({ timeZone: zone.toLowerCase() }).expect(200);
    expect(set.body as TutorSettingsDto).toEqual({ timeZone: zone });
    const localDay = dayOf(new Date(), zone);
    expect(localDay).not.toBe(new Date().toISOString().slice(0, 10));

    const progress = (await request(t.http).get('/api/tutor/progress').set(auth(alice)).expect(200)).body as ProgressDto;
    expect(progress.daily).toEqual([{ date: localDay, attempts: 4, meanScore: 75 }]);
    const plan = (await request(t.http).get('/api/tutor/plan').set(auth(alice)).expect(200)).body as TodayPlanDto;
    expect(plan).toMatchObject({ date: localDay, attemptsToday: 4 });
    expect((await request(t.http).get('/api/tutor/settings').set(auth(bob)).expect(200)).body).toEqual({ timeZone: 'UTC' });
  });

  it("counts a learner's day whole on a 25-hour day (the day summer time ends)", async () => {
    const repository = t.app.get(TutorRepository);
    const db = t.app.get<Database>(DATABASE);
    // Two of Alice's attempts, moved to 00:10 and 23:50 in Berlin on 25 Oct 2026, which lasts 25 hours there.
    const attempts = await db.selectFrom('tutor_attempts').select('id').where('user_id', '=', alice.user.id).orderBy('created_at').execute();
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    for (const [i, at] of ['2026-10-24T22:10:00Z', '2026-10-25T22:50:00Z'].entries()) {
      await sql`update tutor_attempts set created_at = ${new Date(at)} where id = ${attempts[i].id}`.execute(db);
    }
    const activity = await repository.dailyActivity(alice.user.id, 1, 'Europe/Berlin', new Date('2026-10-25T22:55:00Z'));
    expect(activity.map((a) => [a.day, a.attempts])).toEqual([['2026-10-25', 2]]);
  });
});
