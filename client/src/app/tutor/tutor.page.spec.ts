import { By } from '@angular/platform-browser';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { makeSession, problemBody, settle, settleFixture, storeSession } from '../../testing/test-helpers';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { TapPad } from './tap-pad';
import { TutorPage } from './tutor.page';
import { SILENT_ERRORS } from '../core/http/request-context';

const EXERCISE_ID = '3f0c8a4e-6e0b-4f3c-9a52-2b1d7c0e9f22';
const skill = (id: string, name: string, extra: object = {}) => ({
  id,
  area: id.split('.')[0],
  level: Number(id.split('.')[1]),
  name,
  description: '',
  prerequisites: [],
  unlocked: true,
  mastered: false,
  mastery: 0.42,
  ability: 0,
  attempts: 0,
  items: [],
  ...extra,
});
const courseMap = {
  areas: [
    {
      area: 'intervals',
      name: 'Intervals by ear',
      skills: [
        skill('intervals.1', 'Seconds, thirds and fifths', { attempts: 3 }),
        skill('intervals.2', 'Within the octave', { unlocked: false, mastery: 0.2 }),
      ],
    },
    { area: 'play-back', name: 'Melody play-back', skills: [skill('play-back.1', 'Echo three notes')] },
  ],
  mastered: 0,
  total: 35,
};
const plan = (attemptsToday = 0, memoryModel: 'shared' | 'own' = 'shared') => ({
  date: '2026-11-29',
  reviews: [{ skillId: 'intervals.1', skillName: 'Seconds, thirds and fifths', itemId: 'intervals.1:4', reason: 'Review: major 3rd is due today.' }],
  newMaterial: [{ skillId: 'intervals.1', skillName: 'Seconds, thirds and fifths', reason: 'Start Seconds, thirds and fifths: a first step in this area.' }],
  summary: ['No reviews due today.', '0 of 35 skills mastered.'],
  recommendations: [],
  streak: { current: attemptsToday ? 1 : 0, longest: 1, practisedToday: attemptsToday > 0 },
  attemptsToday,
  memoryModel,
});
const progress = (attempts = 0) => ({
  attempts,
  skillsMastered: 0,
  skillsTotal: 35,
  streak: { current: 0, longest: 1, practisedToday: false },
  series: attempts
    ? [{ skillId: 'intervals.1', skillName: 'Seconds, thirds and fifths', points: [{ at: '2026-11-29T10:00:00Z', ability: 0.3, mastery: 0.61 }] }]
    : [],
  daily: [],
});
const history = { items: [], total: 0, page: 1, pageSize: 10 };
const choiceExercise = {
  id: EXERCISE_ID,
  kind: 'interval',
  itemId: 'intervals.1:7',
  itemLabel: 'perfect 5th (ascending)',
  skillId: 'intervals.1',
  skillName: 'Seconds, thirds and fifths',
  planKind: 'new',
  reason: 'New: Seconds, thirds and fifths — perfect 5th; predicted success 74%.',
  predictedSuccess: 0.74,
  prompt: 'Which interval do you hear?',
  answerFormat: 'choice',
  audioUrl: `/api/tutor/exercises/${EXERCISE_ID}/audio`,
  choices: ['major 2nd', 'major 3rd', 'perfect 5th'],
};
const melody = [60, 62, 64].map((pitch, i) => ({ pitch, start: i * 0.8, duration: 0.7 }));
const melodyExercise = {
  ...choiceExercise,
  kind: 'play-back',
  itemId: 'play-back.1:short',
  skillId: 'play-back.1',
  skillName: 'Echo three notes',
  answerFormat: 'recording',
  prompt: 'Listen, then sing it back.',
  choices: undefined,
  melody,
  bpm: 72,
  beatsPerBar: 4,
  notation: { abc: 'X:1\nM:4/4\nL:1/48\nK:C\nC12 D12 E12 |]\n', staff: { clef: 'treble', keySignature: 0, timeSignature: [4, 4], notes: [] } },
};
const attempt = (extra: object) => ({
  attemptId: 'a1',
  exerciseId: EXERCISE_ID,
  kind: 'interval',
  correct: true,
  score: 100,
  feedback: ['Yes: perfect 5th.'],
  ability: { skillId: 'intervals.1', before: 0, after: 0.3, mastery: 0.61, mastered: false },
  nextReview: '2026-11-30T10:00:00.000Z',
  streak: { current: 1, longest: 1, practisedToday: true },
  nextStep: { skillId: 'intervals.1', reason: 'Practice: Seconds, thirds and fifths — major 3rd; predicted success 70%.' },
  ...extra,
});

describe('TutorPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<TutorPage>;
  let el: HTMLElement;

  const settled = () => settleFixture(fixture);

  /** The page first sends the browser's time zone, then loads. */
  async function answerStart(): Promise<void> {
    const settings = http.expectOne('/api/tutor/settings');
    expect(settings.request.method).toBe('PUT');
    expect(settings.request.body).toEqual({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    settings.flush(settings.request.body as object);
    await settle();
    answerLoads();
  }

  function answerLoads(attempts = 0, memoryModel: 'shared' | 'own' = 'shared'): void {
    http.expectOne('/api/tutor/skills').flush(courseMap);
    http.expectOne('/api/tutor/plan').flush(plan(attempts, memoryModel));
    http.expectOne('/api/tutor/progress').flush(progress(attempts));
    http.expectOne((r) => r.url === '/api/tutor/history').flush(history);
  }

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [TutorPage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TutorPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    await answerStart();
    await settled();
  });

  afterEach(() => http.verify());

  it("shows today's plan with its reasons, the streak and the course map with mastery", () => {
    expect(el.querySelector('[data-testid="plan-new"]')?.textContent).toContain('Start Seconds, thirds and fifths: a first step in this area.');
    expect(el.querySelector('[data-testid="streak"]')?.textContent).toContain('0-day streak');
    const bars = [...el.querySelectorAll('.skill [role="progressbar"]')];
    expect(bars.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Seconds, thirds and fifths, level 1: 42% mastery, open',
      // the predicted success of a skill never practised is not mastery
      'Within the octave, level 2: not started, locked',
      'Echo three notes, level 1: not started, open',
    ]);
    expect(bars.map((b) => b.getAttribute('aria-valuenow'))).toEqual(['42', '0', '0']);
    expect(el.querySelector('[data-testid="progress-summary"]')?.textContent).toContain('0 attempts');
    expect(el.querySelector('[data-testid="memory-model"]')).toBeNull();
  });

  it('plays an ear-training exercise, answers it from the keyboard and shows the result, the next step and fresh progress', async () => {
    const start = el.querySelector<HTMLButtonElement>('[data-testid="start-plan"]')!;
    focusWithTab(start);
    pressKey(start, 'Enter');
    await settled();
    const next = http.expectOne('/api/tutor/exercises/next');
    expect(next.request.body).toEqual({});
    next.flush(choiceExercise);
    await settled();

    expect(el.querySelector('[data-testid="prompt"]')?.textContent).toContain('Which interval do you hear?');
    expect(el.querySelector('[data-testid="exercise"]')?.textContent).toContain('predicted success 74%');
    expect(el.querySelector<HTMLAudioElement>('[data-testid="exercise-audio"]')!.getAttribute('src')).toBe(
      `/api/tutor/exercises/${EXERCISE_ID}/audio?access_token=access-1`,
    );
    const announcement = el.querySelector('[data-testid="result-announcement"]');
    expect(announcement?.getAttribute('role')).toBe('status');
    expect(announcement?.textContent?.trim()).toBe('');
    const fifth = el.querySelector<HTMLButtonElement>('[data-choice="perfect 5th"]')!;
    focusWithTab(fifth);
    pressKey(fifth, ' ');
    await settled();
    const answer = http.expectOne(`/api/tutor/exercises/${EXERCISE_ID}/answer`);
    expect(answer.request.body).toEqual({ answer: 'perfect 5th' });
    answer.flush(attempt({ correctAnswer: ['perfect 5th'] }));
    await settled();
    answerLoads(1, 'own');
    await settled();

    expect(el.querySelector('[data-testid="result"]')?.getAttribute('data-correct')).toBe('true');
    // The status region that was already in the page now holds the score, so a screen reader says it.
    expect(el.querySelector('[data-testid="result-announcement"]')).toBe(announcement);
    expect(announcement?.textContent).toContain('Score 100 of 100, well done.');
    expect(el.querySelector('[data-testid="feedback"]')?.textContent).toContain('Yes: perfect 5th.');
    expect(el.querySelector('[data-testid="next-step"]')?.textContent).toContain('Practice: Seconds, thirds and fifths — major 3rd');
    expect(el.querySelector('[data-testid="streak"]')?.textContent).toContain('1-day streak · 1 exercise today');
    expect(el.querySelector('xy-progress-chart')?.textContent).toContain('Seconds, thirds and fifths: 61% after 1 attempt');
    // A refit gave this learner weights of their own by now: the plan says so.
    expect(el.querySelector('[data-testid="memory-model"]')?.textContent).toContain('fitted to your own practice');
    // The keyboard focus moves to the result's heading (Next follows it).
    expect(document.activeElement?.id).toBe('result-title');
    // Next replaces the result, the focused button with it: the new exercise's title takes the focus.
    const nextButton = el.querySelector<HTMLButtonElement>('[data-testid="next-exercise"]')!;
    nextButton.focus();
    nextButton.click();
    await settled();
    http.expectOne('/api/tutor/exercises/next').flush({ ...choiceExercise, id: '00000000-0000-4000-8000-0000000000ff' });
    await settled();
    expect(document.activeElement?.id).toBe('exercise-title');
  });

  it('keeps Next exercise focusable while its request runs (disabled for the press, not for the keyboard)', async () => {
    const start = el.querySelector<HTMLButtonElement>('[data-testid="start-plan"]')!;
    start.focus();
    start.click();
    await settled();
    expect(start.disabled).toBe(false);
    expect(start.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(start);
    start.click(); // a press meanwhile sends nothing more
    await settled();
    http.expectOne('/api/tutor/exercises/next').flush(choiceExercise);
    await settled();
  });

  it('reviews the very item a plan entry names (not just another item of its skill)', async () => {
    const review = [...el.querySelectorAll<HTMLButtonElement>('[data-testid="plan-reviews"] button')].find((b) => b.textContent?.includes('Review'))!;
    review.click();
    await settled();
    const next = http.expectOne('/api/tutor/exercises/next');
    expect(next.request.body).toEqual({ itemId: 'intervals.1:4' });
    next.flush(choiceExercise);
    await settled();
  });

  it('practises a chosen skill from the course map', async () => {
    const practise = el.querySelector<HTMLButtonElement>('[aria-label="Practise Echo three notes"]')!;
    practise.click();
    practise.click(); // a double click asks for one exercise
    await settled();
    const next = http.expectOne('/api/tutor/exercises/next');
    expect(next.request.body).toEqual({ skillId: 'play-back.1' });
    next.flush(melodyExercise);
    await settled();
    expect(el.querySelector('[data-testid="exercise"]')?.getAttribute('data-kind')).toBe('play-back');
    expect(el.querySelector('xy-staff-view')).not.toBeNull();
    // jsdom has no microphone or AudioWorklet: the page says so instead of offering a recorder that cannot work.
    expect(el.querySelector('[data-testid="recorder"]')?.textContent).toContain('This browser cannot record from the microphone here.');
  });

  it('gives each rhythm exercise a pad of its own: taps under way do not carry over to the next one', async () => {
    const rhythm = (id: string) => ({
      ...choiceExercise,
      id,
      kind: 'rhythm',
      answerFormat: 'taps',
      choices: undefined,
      bpm: 80,
      countInBeats: 4,
      beatsPerBar: 4,
    });
    const open = async (id: string) => {
      el.querySelector<HTMLButtonElement>('[aria-label="Practise Echo three notes"]')!.click();
      await settled();
      http.expectOne('/api/tutor/exercises/next').flush(rhythm(id));
      await settled();
      return fixture.debugElement.query(By.directive(TapPad))?.componentInstance as TapPad | undefined;
    };
    const first = await open('00000000-0000-4000-8000-00000000000a');
    expect(first).toBeDefined();
    const second = await open('00000000-0000-4000-8000-00000000000b');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('shows a recording’s verdicts note by note, in words and colours, on the list and the piano roll', async () => {
    el.querySelector<HTMLButtonElement>('[aria-label="Practise Echo three notes"]')!.click();
    await settled();
    http.expectOne('/api/tutor/exercises/next').flush(melodyExercise);
    await settled();

    fixture.componentInstance['store'].submitRecording(new Blob([new Uint8Array(64)], { type: 'audio/wav' }));
    await settled();
    const upload = http.expectOne(`/api/tutor/exercises/${EXERCISE_ID}/recording`);
    expect(upload.request.body).toBeInstanceOf(FormData);
    expect((upload.request.body as FormData).get('audio')).toBeInstanceOf(Blob);
    upload.flush(
      attempt({
        kind: 'play-back',
        correct: false,
        score: 58,
        feedback: ['2 of 3 notes were right.', 'Note 2 (D4) was a semitone too high: you hit D#4.', 'Next step: practise the step from C4 to D4.'],
        assessment: {
          score: 58,
          notes: [
            { index: 0, verdict: 'correct', detectedPitch: 60.1, pitchErrorCents: 10, onsetErrorMs: -20 },
            { index: 1, verdict: 'wrong-pitch', detectedPitch: 63, pitchErrorCents: 100, onsetErrorMs: 5 },
            { index: 2, verdict: 'missed' },
          ],
          extra: [],
          feedback: [],
        },
        detected: [
          { pitch: 60.1, start: 0, duration: 0.7 },
          { pitch: 63, start: 0.8, duration: 0.7 },
        ],
      }),
    );
    await settled();
    answerLoads(1);
    await settled();

    const items = [...el.querySelectorAll('[data-testid="verdicts"] li')];
    expect(items.map((li) => li.getAttribute('data-verdict'))).toEqual(['correct', 'wrong-pitch', 'missed']);
    expect(items.map((li) => li.textContent?.trim())).toEqual([
      'Note 1 (C4): correct — +10 cents, -20 ms',
      'Note 2 (D4): wrong pitch — heard D#4, +100 cents, +5 ms',
      'Note 3 (E4): missed',
    ]);
    const rects = [...el.querySelectorAll('svg.roll rect')].map((r) => r.getAttribute('fill'));
    expect(rects).toEqual(['#1e8e3e', '#d93025', '#80868b']);
    expect(el.querySelectorAll('svg.roll line')).toHaveLength(2);
    expect(el.querySelector('[data-testid="feedback"]')?.textContent).toContain('Note 2 (D4) was a semitone too high');
  });

  it('sends note names in order and shows a refused request beside the exercise', async () => {
    el.querySelector<HTMLButtonElement>('[data-testid="start-plan"]')!.click();
    await settled();
    http
      .expectOne('/api/tutor/exercises/next')
      .flush({ ...choiceExercise, kind: 'note-reading', answerFormat: 'names', choices: undefined, audioUrl: undefined, noteCount: 2 });
    await settled();
    const inputs = [...el.querySelectorAll<HTMLInputElement>('.names input')];
    expect(inputs).toHaveLength(2);
    inputs[0].value = 'F#';
    inputs[0].dispatchEvent(new Event('input'));
    inputs[1].value = ' a ';
    inputs[1].dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('.names button[type="submit"]')!.click();
    await settled();
    const answer = http.expectOne(`/api/tutor/exercises/${EXERCISE_ID}/answer`);
    expect(answer.request.body).toEqual({ names: ['F#', 'a'] });
    // The page shows the refusal itself: the request is silent (no toast repeating it).
    expect(answer.request.context.get(SILENT_ERRORS)).toBe(true);
    answer.flush(problemBody(409, 'Conflict', 'This exercise was already answered; ask for the next one.'), { status: 409, statusText: 'Conflict' });
    await settled();
    expect(el.querySelector('[data-testid="exercise-problem"]')?.textContent).toContain('already answered');
  });

  it('still loads the page when the server refuses the browser’s time zone', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ imports: [TutorPage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TutorPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http
      .expectOne('/api/tutor/settings')
      .flush(problemBody(400, 'Bad Request', 'timeZone is not in the database’s time zone list.'), { status: 400, statusText: 'Bad Request' });
    await settle();
    answerLoads();
    await settled();
    expect(el.querySelector('[data-testid="streak"]')?.textContent).toContain('0-day streak');
    expect(el.querySelector('[role="alert"]')).toBeNull();
  });

  it('opens an exercise from a link', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      imports: [TutorPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: ActivatedRoute, useValue: { snapshot: { queryParamMap: convertToParamMap({ exercise: EXERCISE_ID }) } } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TutorPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne(`/api/tutor/exercises/${EXERCISE_ID}`).flush(melodyExercise);
    await answerStart();
    await settled();
    expect(el.querySelector('[data-testid="prompt"]')?.textContent).toContain('Listen, then sing it back.');
  });
});
