import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, problemBody, settle, settleFixture, storeSession, refuseQuietly } from '../../testing/test-helpers';
import { FakeEventSource } from '../../testing/fake-event-source';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { GenerateFromEmotionDto } from '../api/models';
import { SILENT_ERRORS } from '../core/http/request-context';
import { MusicPage } from './music.page';
import { MusicStore } from './music.store';

const ID = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';
const emptyHistory = { items: [], total: 0, page: 1, pageSize: 10 };
/** What GET /api/music/catalog answers (a shortened copy of the server's tables). */
const catalog = {
  emotions: [
    { name: 'excited', label: 'Excited', chinese: '兴奋', valence: 0.7, arousal: 0.9 },
    { name: 'happy', label: 'Happy', chinese: '开心', valence: 0.8, arousal: 0.5 },
    { name: 'calm', label: 'Calm', chinese: '平静', valence: 0.4, arousal: -0.7 },
  ],
  instruments: [
    { program: 0, name: 'Acoustic Grand Piano' },
    { program: 73, name: 'Flute' },
  ],
  limits: { minDurationSec: 10, maxDurationSec: 300, minTempo: 40, maxTempo: 220, maxTopicLength: 500, maxSeed: 2147483647 },
};
const result = {
  generationId: ID,
  provider: 'built-in',
  emotion: 'happy',
  valence: 0.8,
  arousal: 0.5,
  key: 'G',
  mode: 'major',
  tempo: 128,
  durationSec: 31.5,
  seed: 42,
  explanation: ['Happy: major mode and a quick tempo.', 'The melody climbs in the B section.'],
  fromCache: false,
  formats: ['mp3', 'wav'],
  hasMidi: true,
  mastering: { inputLufs: -30, outputLufs: -16, gainDb: 14, limiterMaxReductionDb: 0, truePeakDb: -1.2, samplePeakDb: -1.3 },
  audioUrl: `/api/music/generation/${ID}/audio?format=mp3`,
  midiUrl: `/api/music/generation/${ID}/midi`,
  planUrl: `/api/music/generation/${ID}/plan`,
  notesUrl: `/api/music/generation/${ID}/notes`,
};
const status = (state: string, percent: number, stage: string, id = ID) => ({
  id,
  queue: 'music-generation',
  state,
  progress: { percent, stage },
  createdAt: '2026-11-28T12:00:00.000Z',
});

const OTHER = '0b7d3c1e-2f4a-4c5b-8e6d-7a9f1b2c3d4e';
/** A history entry as GET /api/music/generations lists it. */
const summary = (id: string, label: string, state = 'failed') => ({
  id,
  kind: 'emotion',
  state,
  label,
  request: {},
  seed: 42,
  fromCache: false,
  createdAt: '2026-11-28T12:00:00.000Z',
});

/**
 * What a browser does when a key (arrow, Page Up/Down, Home/End) moves a native range input, which jsdom
 * does not: the new value, then `input` and `change`.
 */
function moveRange(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('MusicPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<MusicPage>;
  let el: HTMLElement;

  const settled = () => settleFixture(fixture);

  beforeEach(async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [MusicPage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MusicPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne('/api/music/catalog').flush(catalog);
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settled();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  it('generates from a named emotion, shows live stage progress, then the player, downloads and the plan', async () => {
    // Clicking the chosen chip again keeps it chosen (an emotion is always selected).
    el.querySelector<HTMLElement>('[data-emotion="happy"] button')!.click();
    await settled();
    expect(el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.disabled).toBe(false);
    el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.click();
    await settled();

    const submit = http.expectOne('/api/music/generate/emotion');
    expect(submit.request.body).toMatchObject({ emotion: 'happy', durationSec: 30 });
    submit.flush(
      {
        id: ID,
        queue: 'music-generation',
        state: 'queued',
        statusUrl: `/api/music/generation/${ID}/status`,
        eventsUrl: `/api/jobs/music-generation/${ID}/events`,
      },
      { status: 202, statusText: 'Accepted' },
    );
    await settled();
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);

    const source = FakeEventSource.instances[0];
    expect(source.url).toBe(`/api/jobs/music-generation/${ID}/events?access_token=access-1`);
    source.emit('status', status('active', 40, 'rendering'));
    await settled();
    expect(el.querySelector('[data-testid="progress"]')?.textContent).toContain('Rendering audio · 40 %');
    const bar = el.querySelector('[data-testid="progress"] [role="progressbar"]');
    expect(bar?.getAttribute('aria-label')).toBe('Generation progress');
    expect(bar?.getAttribute('aria-valuenow')).toBe('40');

    source.emit('status', { ...status('completed', 100, 'done'), result });
    await settled();
    http.expectOne(`/api/music/generation/${ID}/status`).flush({ ...status('completed', 100, 'done'), result });
    await settled();
    http
      .expectOne(`/api/music/generation/${ID}/plan`)
      .flush({ plan: {}, explanation: result.explanation, provider: 'built-in', attempts: [], seed: 42, mastering: result.mastering });
    http.expectOne(`/api/music/generation/${ID}/notes`).flush({
      durationSec: 31.5,
      tempo: 128,
      meter: [4, 4],
      tracks: [{ index: 0, name: 'Melody', role: 'melody', channel: 0, program: 0 }],
      notes: [{ track: 0, channel: 0, program: 0, pitch: 67, startSec: 0, durationSec: 0.5, velocity: 90 }],
    });
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settled();

    const player = el.querySelector<HTMLAudioElement>('[data-testid="player"]')!;
    expect(player.getAttribute('src')).toBe(`/api/music/generation/${ID}/audio?format=mp3&access_token=access-1`);
    expect(el.querySelector('[data-testid="download-midi"]')?.getAttribute('href')).toBe(`/api/music/generation/${ID}/midi?access_token=access-1`);
    expect(el.querySelector('[data-testid="explanation"]')?.textContent).toContain('The melody climbs in the B section.');
    expect(el.querySelector('xy-piano-roll')).not.toBeNull();
    expect(el.textContent).toContain('G major · 128 BPM');
  });

  it('retries only the notes when their request failed, leaving the piece and its player as they are', async () => {
    fixture.debugElement.injector.get(MusicStore).show(ID);
    await settled();
    http.expectOne(`/api/music/generation/${ID}/status`).flush({ ...status('completed', 100, 'done'), result });
    await settled();
    http
      .expectOne(`/api/music/generation/${ID}/plan`)
      .flush({ plan: {}, explanation: result.explanation, provider: 'built-in', attempts: [], seed: 42, mastering: result.mastering });
    http.expectOne(`/api/music/generation/${ID}/notes`).flush(null, { status: 503, statusText: 'Service Unavailable' });
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settled();
    const player = el.querySelector('[data-testid="player"]');
    const retry = [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.includes('Retry'))!;
    retry.click();
    await settled();
    http.expectOne(`/api/music/generation/${ID}/notes`).flush({ durationSec: 1, tempo: 120, meter: [4, 4], tracks: [], notes: [] });
    await settled();
    expect(el.querySelector('[data-testid="player"]')).toBe(player);
    expect(el.querySelector('[data-testid="progress"]')).toBeNull();
    expect(el.querySelector('xy-piano-roll')).not.toBeNull();
  });

  it('sends a valence/arousal point instead of a name when the sliders are used', async () => {
    el.querySelector<HTMLElement>('[data-testid="source-point"] button')!.click();
    await settled();
    moveRange(el.querySelector<HTMLInputElement>('xy-va-pad [data-testid="arousal"]')!, '0.4');
    await settled();
    el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.click();
    await settled();
    const submit = http.expectOne('/api/music/generate/emotion');
    const sent = submit.request.body as GenerateFromEmotionDto;
    expect(sent).toMatchObject({ valence: 0.5, arousal: 0.4, durationSec: 30 });
    expect(sent.emotion).toBeUndefined();
    submit.flush({ id: ID, queue: 'music-generation', state: 'completed', statusUrl: '', eventsUrl: '' });
    await settled();
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    http.expectOne(`/api/music/generation/${ID}/status`).flush({ ...status('completed', 100, 'done'), result });
    await settled();
    http
      .expectOne(`/api/music/generation/${ID}/plan`)
      .flush({ plan: {}, explanation: [], provider: 'built-in', attempts: [], seed: 42, mastering: result.mastering });
    http.expectOne(`/api/music/generation/${ID}/notes`).flush({ durationSec: 1, tempo: 120, meter: [4, 4], tracks: [], notes: [] });
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settled();
    expect(FakeEventSource.instances).toHaveLength(0); // served from the cache: nothing to follow
  });

  it('shows the fields the server rejected', async () => {
    el.querySelector<HTMLElement>('[data-testid="mode-topic"] button')!.click();
    await settled();
    const topic = el.querySelector<HTMLTextAreaElement>('[data-testid="topic"]')!;
    topic.value = 'sea';
    topic.dispatchEvent(new Event('input'));
    await settled();
    el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.click();
    await settled();
    const submit = http.expectOne('/api/music/generate/topic');
    // The page shows the problem beside the form: no toast says it a second time.
    expect(submit.request.context.get(SILENT_ERRORS)).toBe(true);
    submit.flush(
      problemBody(400, 'Bad Request', 'The request has invalid fields.', [{ field: 'durationSec', message: 'durationSec must not be greater than 300' }]),
      {
        status: 400,
        statusText: 'Bad Request',
      },
    );
    await settled();
    const fieldErrors = [...el.querySelectorAll('[data-testid="submit-problem"] .field-error')].map((e) => e.textContent?.trim());
    expect(fieldErrors).toEqual(['durationSec must not be greater than 300']);
  });

  it('shows a refused generation, a failed read of the piece and a failed history on the page, with no toast besides', async () => {
    el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.click();
    await settled();
    refuseQuietly(http.expectOne('/api/music/generate/emotion'), 429, 'Too Many Requests', 'Too many generations; try again in a minute.');
    await settled();
    expect(el.querySelector('[data-testid="submit-problem"]')?.textContent).toContain('Too many generations');

    // Opening a piece: its failed read replaces the earlier refusal (which would hide it).
    fixture.componentInstance['store'].show(ID);
    refuseQuietly(http.expectOne(`/api/music/generation/${ID}/status`), 404, 'Not Found', 'No such generation.');
    await settled();
    expect(el.querySelector('[data-testid="submit-problem"]')?.textContent).toContain('No such generation.');

    fixture.componentInstance['store'].reloadHistory();
    refuseQuietly(
      http.expectOne((r) => r.url === '/api/music/generations'),
      503,
      'Service Unavailable',
      'The database is not reachable.',
    );
    await settled();
    expect(el.querySelector('.history xy-error-state')?.textContent).toContain('The database is not reachable.');
  });

  it('says, also to screen readers, when the live updates of a piece being made are interrupted', async () => {
    el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.click();
    await settled();
    http.expectOne('/api/music/generate/emotion').flush(
      {
        id: ID,
        queue: 'music-generation',
        state: 'queued',
        statusUrl: `/api/music/generation/${ID}/status`,
        eventsUrl: `/api/jobs/music-generation/${ID}/events`,
      },
      { status: 202, statusText: 'Accepted' },
    );
    await settled();
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    const source = FakeEventSource.instances[0];
    source.emit('status', status('active', 40, 'rendering'));
    await settled();
    const announcement = el.querySelector('[data-testid="announcement"]')!;
    expect(announcement.textContent?.trim()).toBe('Rendering audio…');

    source.fail(FakeEventSource.CONNECTING);
    await settled();
    expect(el.querySelector('[data-testid="progress"]')?.textContent).toContain('reconnecting');
    expect(el.querySelector('[data-testid="announcement"]')).toBe(announcement);
    expect(announcement.getAttribute('role')).toBe('status');
    expect(announcement.textContent).toContain('Rendering audio…');
    expect(announcement.textContent).toContain('Connection lost, reconnecting…');

    source.connect();
    await settled();
    expect(announcement.textContent?.trim()).toBe('Rendering audio…');
  });

  it("draws the emotions, instruments and limits from the server's catalogue", async () => {
    expect([...el.querySelectorAll('[data-emotion]')].map((chip) => chip.getAttribute('data-emotion'))).toEqual(['excited', 'happy', 'calm']);
    expect(el.querySelector('[data-emotion="excited"]')?.textContent).toContain('Excited');
    el.querySelector<HTMLElement>('[data-testid="source-point"] button')!.click();
    await settled();
    const excited = [...el.querySelectorAll<HTMLElement>('xy-va-pad .anchor')].find((a) => a.textContent?.trim() === 'excited')!;
    // valence 0.7 → 85 % from the left, arousal 0.9 → 5 % from the top.
    expect(parseFloat(excited.style.left)).toBeCloseTo(85);
    expect(parseFloat(excited.style.top)).toBeCloseTo(5);
    el.querySelector<HTMLElement>('[data-testid="mode-topic"] button')!.click();
    await settled();
    expect(el.querySelector('[data-testid="topic"]')?.getAttribute('maxlength')).toBe('500');
  });

  it('follows a generation opened from the history at the events URL the server gives', async () => {
    fixture.componentInstance['store'].reloadHistory();
    // Not the URL the client would build from the queue name: the client must follow what the server says.
    const eventsUrl = `/api/jobs/music-renamed/${ID}/events`;
    http
      .expectOne((r) => r.url === '/api/music/generations')
      .flush({
        items: [
          {
            id: ID,
            kind: 'emotion',
            state: 'active',
            label: 'happy · 30 s',
            request: {},
            seed: 42,
            fromCache: false,
            eventsUrl,
            createdAt: '2026-11-28T12:00:00.000Z',
          },
        ],
        total: 1,
        page: 1,
        pageSize: 10,
      });
    await settled();
    el.querySelector<HTMLButtonElement>(`[data-generation="${ID}"] .history-open`)!.click();
    await settled();
    expect(FakeEventSource.instances.map((source) => source.url)).toEqual([`${eventsUrl}?access_token=access-1`]);
  });

  it('lists the history and deletes an item', async () => {
    fixture.componentInstance['store'].reloadHistory();
    http
      .expectOne((r) => r.url === '/api/music/generations')
      .flush({
        items: [
          {
            id: ID,
            kind: 'emotion',
            state: 'completed',
            label: 'happy · 30 s',
            request: {},
            seed: 42,
            fromCache: false,
            result,
            createdAt: '2026-11-28T12:00:00.000Z',
          },
        ],
        total: 1,
        page: 1,
        pageSize: 10,
      });
    await settled();
    expect(el.querySelector(`[data-generation="${ID}"]`)?.textContent).toContain('happy · 30 s');
    el.querySelector<HTMLButtonElement>('[data-testid="delete"]')!.click();
    await settled();
    http.expectOne({ method: 'DELETE', url: `/api/music/generation/${ID}` }).flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settled();
    expect(el.querySelector(`[data-generation="${ID}"]`)).toBeNull();
  });

  it('sends one DELETE when Delete is pressed twice, and keeps the button focusable but unavailable meanwhile', async () => {
    await showHistory([summary(ID, 'happy · 30 s'), summary(OTHER, 'calm · 10 s')]);
    const remove = el.querySelector<HTMLButtonElement>(`[data-generation="${ID}"] [data-testid="delete"]`)!;
    focusWithTab(remove);
    pressKey(remove, 'Enter');
    await settled();
    pressKey(remove, 'Enter');
    remove.click();
    await settled();
    const deletes = http.match({ method: 'DELETE', url: `/api/music/generation/${ID}` });
    expect(deletes).toHaveLength(1);
    // Unavailable while it is deleted, yet still focused (disabledInteractive); the other items' Delete stays available.
    expect(remove.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(remove);
    expect(el.querySelector<HTMLElement>(`[data-generation="${OTHER}"] [data-testid="delete"]`)?.hasAttribute('aria-disabled')).toBe(false);
    deletes[0].flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    // Still unavailable until the list without it arrives (a press meanwhile would be answered 404).
    remove.click();
    await settled();
    http.expectNone({ method: 'DELETE', url: `/api/music/generation/${ID}` });
    http.expectOne((r) => r.url === '/api/music/generations').flush({ items: [summary(OTHER, 'calm · 10 s')], total: 1, page: 1, pageSize: 10 });
    await settled();
    expect(el.querySelector(`[data-generation="${ID}"]`)).toBeNull();
  });

  it('lets Delete be pressed again after a delete the server refused', async () => {
    await showHistory([summary(ID, 'happy · 30 s')]);
    const remove = el.querySelector<HTMLButtonElement>(`[data-generation="${ID}"] [data-testid="delete"]`)!;
    remove.click();
    await settled();
    http
      .expectOne({ method: 'DELETE', url: `/api/music/generation/${ID}` })
      .flush(problemBody(503, 'Service Unavailable', 'Try again.'), { status: 503, statusText: 'Service Unavailable' });
    await settled();
    expect(remove.hasAttribute('aria-disabled')).toBe(false);
    remove.click();
    await settled();
    http.expectOne({ method: 'DELETE', url: `/api/music/generation/${ID}` }).flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settled();
  });

  it('says when the catalogue cannot be loaded, and retries', async () => {
    const fresh = TestBed.createComponent(MusicPage);
    fresh.detectChanges();
    http
      .expectOne('/api/music/catalog')
      .flush(problemBody(503, 'Service Unavailable', 'The database is not reachable.'), { status: 503, statusText: 'Service Unavailable' });
    http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
    await settle();
    await fresh.whenStable();
    fresh.detectChanges();
    const page = fresh.nativeElement as HTMLElement;
    expect(page.querySelector('form')).toBeNull();
    expect(page.querySelector('.compose xy-error-state')?.textContent).toContain('The database is not reachable.');

    page.querySelector<HTMLButtonElement>('.compose xy-error-state button')!.click();
    http.expectOne('/api/music/catalog').flush(catalog);
    await settle();
    await fresh.whenStable();
    fresh.detectChanges();
    expect(page.querySelector('[data-emotion="calm"]')).not.toBeNull();
  });
  /** Shows `items` as the first history page of `total` entries. */
  async function showHistory(items: unknown[], total = items.length): Promise<void> {
    fixture.componentInstance['store'].reloadHistory();
    http.expectOne((r) => r.url === '/api/music/generations').flush({ items, total, page: 1, pageSize: 10 });
    await settled();
  }

  /** Opens a finished piece from the history, answering the reads that follow with `finished` as its result. */
  async function openFinishedPiece(finished: typeof result): Promise<void> {
    await showHistory([summary(ID, 'happy · 30 s', 'completed')]);
    el.querySelector<HTMLButtonElement>(`[data-generation="${ID}"] .history-open`)!.click();
    await settled();
    http.expectOne(`/api/music/generation/${ID}/status`).flush({ ...status('completed', 100, 'done'), result: finished });
    await settled();
    http
      .expectOne(`/api/music/generation/${ID}/plan`)
      .flush({ plan: {}, explanation: [], provider: 'built-in', attempts: [], seed: 42, mastering: result.mastering });
    http.expectOne(`/api/music/generation/${ID}/notes`).flush({ durationSec: 1, tempo: 120, meter: [4, 4], tracks: [], notes: [] });
    http.expectOne((r) => r.url === '/api/music/generations').flush({ items: [summary(ID, 'happy · 30 s', 'completed')], total: 1, page: 1, pageSize: 10 });
    await settled();
  }

  describe('from the keyboard and with a screen reader', () => {
    it('names each card as a region after its title', () => {
      const names = [...el.querySelectorAll('[role="region"]')].map((region) =>
        document.getElementById(region.getAttribute('aria-labelledby') ?? '')?.textContent?.trim(),
      );
      expect(names).toEqual(['Compose', 'Piece', 'History']);
    });

    it('keeps Generate in the tab order while its request runs, and a press meanwhile sends nothing', async () => {
      const generate = el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!;
      focusWithTab(generate);
      pressKey(generate, 'Enter');
      await settled();
      const submit = http.expectOne('/api/music/generate/emotion');

      expect(generate.getAttribute('aria-disabled')).toBe('true');
      expect(document.activeElement).toBe(generate);
      focusWithTab(generate);
      pressKey(generate, 'Enter');
      pressKey(generate, ' ');
      await settled();
      http.expectNone('/api/music/generate/emotion');

      submit.flush(problemBody(429, 'Too Many Requests', 'Too many generations; try again in a minute.'), { status: 429, statusText: 'Too Many Requests' });
      await settled();
      expect(generate.getAttribute('aria-disabled')).toBeNull();
      pressKey(generate, 'Enter');
      await settled();
      http
        .expectOne('/api/music/generate/emotion')
        .flush(problemBody(429, 'Too Many Requests', 'Still too many.'), { status: 429, statusText: 'Too Many Requests' });
      await settled();
    });

    it('chooses an emotion from the keyboard, and the chosen chip says it is selected', async () => {
      const listbox = el.querySelector<HTMLElement>('mat-chip-listbox')!;
      // Tab stops at the listbox, which hands the focus on to the chosen chip (so focusWithTab cannot be used here).
      expect(listbox.tabIndex).toBe(0);
      listbox.focus();
      // The chosen chip is announced as selected, although pressing it again keeps it chosen.
      const happy = document.activeElement as HTMLElement;
      expect(happy.getAttribute('role')).toBe('option');
      expect(happy.textContent).toContain('Happy');
      expect(happy.getAttribute('aria-selected')).toBe('true');
      pressKey(happy, 'Enter');
      await settled();
      expect(happy.getAttribute('aria-selected')).toBe('true');

      happy.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', keyCode: 39, bubbles: true, cancelable: true }));
      const calm = document.activeElement as HTMLElement;
      expect(calm.textContent).toContain('Calm');
      pressKey(calm, 'Enter');
      await settled();
      expect([...el.querySelectorAll('[role="option"]')].map((option) => option.getAttribute('aria-selected'))).toEqual(['false', 'false', 'true']);

      el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!.click();
      await settled();
      const submit = http.expectOne('/api/music/generate/emotion');
      expect(submit.request.body).toMatchObject({ emotion: 'calm' });
      submit.flush(problemBody(429, 'Too Many Requests', 'Try again in a minute.'), { status: 429, statusText: 'Too Many Requests' });
      await settled();
    });

    it("shows each emotion's Chinese name on its chip rather than only in a hover tooltip", () => {
      expect(el.querySelector('[data-emotion="happy"] [role="option"]')?.textContent).toContain('开心');
      expect(el.querySelector('[data-emotion="happy"] [lang="zh"]')?.textContent).toBe('开心');
    });

    it('sets valence and arousal with two labelled sliders that announce their values; the pad is a pointer shortcut only', async () => {
      el.querySelector<HTMLElement>('[data-testid="source-point"] button')!.click();
      await settled();
      const pad = el.querySelector<HTMLElement>('[data-testid="va-pad"]')!;
      expect(pad.getAttribute('aria-hidden')).toBe('true');
      expect(() => focusWithTab(pad)).toThrow();
      expect(el.textContent).not.toContain('click the pad');

      const slider = (name: string) => {
        const input = el.querySelector<HTMLInputElement>(`xy-va-pad [data-testid="${name}"]`)!;
        return { input, label: document.querySelector(`label[for="${input.id}"]`)?.textContent?.trim() };
      };
      const valence = slider('valence');
      const arousal = slider('arousal');
      expect([valence.label, arousal.label]).toEqual(['Valence', 'Arousal']);
      for (const { input } of [valence, arousal]) {
        expect(input.type).toBe('range');
        expect([input.min, input.max]).toEqual(['-1', '1']);
      }
      expect(valence.input.getAttribute('aria-valuetext')).toBe('+0.50 positive');
      expect(arousal.input.getAttribute('aria-valuetext')).toBe('+0.30 energetic');

      focusWithTab(valence.input);
      moveRange(valence.input, '0.55'); // Arrow Right
      focusWithTab(arousal.input);
      moveRange(arousal.input, '-1'); // Home
      await settled();
      expect(valence.input.getAttribute('aria-valuetext')).toBe('+0.55 positive');
      expect(arousal.input.getAttribute('aria-valuetext')).toBe('-1.00 calm');
      // The pad follows: valence 0.55 → 77.5 % from the left, arousal −1 → the bottom.
      const dot = el.querySelector<HTMLElement>('[data-testid="va-dot"]')!;
      expect(parseFloat(dot.style.left)).toBeCloseTo(77.5);
      expect(parseFloat(dot.style.top)).toBeCloseTo(100);

      const generate = el.querySelector<HTMLButtonElement>('[data-testid="generate"]')!;
      focusWithTab(generate);
      pressKey(generate, 'Enter');
      await settled();
      const submit = http.expectOne('/api/music/generate/emotion');
      expect(submit.request.body).toMatchObject({ valence: 0.55, arousal: -1 });
      submit.flush(problemBody(429, 'Too Many Requests', 'Try again in a minute.'), { status: 429, statusText: 'Too Many Requests' });
      await settled();
    });

    it('says in words what an invalid seed must be, not only by turning the hint red', async () => {
      const seed = el.querySelector<HTMLInputElement>('input[name="seed"]')!;
      seed.value = '-1';
      seed.dispatchEvent(new Event('input'));
      await settled();
      expect(seed.closest('mat-form-field')?.querySelector('mat-hint')?.textContent).toContain('A whole number, 0–2147483647');
    });

    it('names the player and the downloads, and says in words when a piece came from the cache', async () => {
      await openFinishedPiece({ ...result, fromCache: true });
      expect(el.querySelector('[data-testid="player"]')?.getAttribute('aria-label')).toBe('Generated piece');
      const downloads = [...el.querySelectorAll<HTMLAnchorElement>('.downloads a')];
      expect(downloads.map((a) => a.getAttribute('aria-label'))).toEqual(['Download WAV', 'Download MP3', 'Download MIDI']);
      // A label that names the control contains its visible text.
      for (const a of downloads) expect(a.getAttribute('aria-label')).toContain(a.textContent?.replace('download', '').trim());
      expect(el.querySelector('[data-testid="cache-note"]')?.textContent).toContain('an identical request (same seed) was reused');
    });

    it('opens a piece from the history with the keyboard and marks it as the current one', async () => {
      await showHistory([summary(ID, 'happy · 30 s'), summary(OTHER, 'calm · 10 s')]);
      const open = (id: string) => el.querySelector<HTMLButtonElement>(`[data-generation="${id}"] .history-open`)!;
      expect(open(ID).hasAttribute('aria-current')).toBe(false);
      focusWithTab(open(OTHER));
      pressKey(open(OTHER), 'Enter');
      await settled();
      http.expectOne(`/api/music/generation/${OTHER}/status`).flush({ ...status('failed', 10, 'rendering', OTHER), error: 'The renderer stopped.' });
      await settled();
      // A generation that ended (failed too) refreshes the history, which shows how it ended.
      http
        .expectOne((r) => r.url === '/api/music/generations')
        .flush({ ...emptyHistory, items: [summary(ID, 'happy · 30 s'), summary(OTHER, 'calm · 10 s')], total: 2 });
      await settled();
      expect(open(OTHER).getAttribute('aria-current')).toBe('true');
      expect(open(ID).hasAttribute('aria-current')).toBe(false);
    });

    it('after a delete from the keyboard, the focus goes to the item now in its place, then to the History title', async () => {
      await showHistory([summary(ID, 'happy · 30 s'), summary(OTHER, 'calm · 10 s')]);
      const remove = el.querySelector<HTMLButtonElement>(`[data-generation="${ID}"] [data-testid="delete"]`)!;
      focusWithTab(remove);
      pressKey(remove, 'Enter');
      http.expectOne({ method: 'DELETE', url: `/api/music/generation/${ID}` }).flush(null, { status: 204, statusText: 'No Content' });
      await settled();
      http.expectOne((r) => r.url === '/api/music/generations').flush({ items: [summary(OTHER, 'calm · 10 s')], total: 1, page: 1, pageSize: 10 });
      await settled();
      expect(document.activeElement).toBe(el.querySelector(`[data-generation="${OTHER}"] .history-open`));

      const last = el.querySelector<HTMLButtonElement>(`[data-generation="${OTHER}"] [data-testid="delete"]`)!;
      focusWithTab(last);
      pressKey(last, 'Enter');
      http.expectOne({ method: 'DELETE', url: `/api/music/generation/${OTHER}` }).flush(null, { status: 204, statusText: 'No Content' });
      await settled();
      http.expectOne((r) => r.url === '/api/music/generations').flush(emptyHistory);
      await settled();
      expect(document.activeElement).toBe(document.getElementById('history-title'));
    });

    it('pages the history with the keyboard; Newer and Older keep the focus at either end, where a press asks for nothing', async () => {
      await showHistory([summary(ID, 'happy · 30 s')], 15);
      const pager = (label: string) => [...el.querySelectorAll<HTMLButtonElement>('.pager button')].find((b) => b.textContent?.trim() === label)!;
      const newer = pager('Newer');
      const older = pager('Older');
      expect(newer.getAttribute('aria-disabled')).toBe('true');
      focusWithTab(newer);
      pressKey(newer, 'Enter');
      await settled();
      http.expectNone((r) => r.url === '/api/music/generations');

      focusWithTab(older);
      pressKey(older, 'Enter');
      const page2 = http.expectOne((r) => r.url === '/api/music/generations');
      expect(page2.request.params.get('page')).toBe('2');
      page2.flush({ items: [summary(OTHER, 'calm · 10 s')], total: 15, page: 2, pageSize: 10 });
      await settled();
      expect(el.querySelector('.pager')?.textContent).toContain('2 / 2');
      expect(older.getAttribute('aria-disabled')).toBe('true');
      expect(document.activeElement).toBe(older);
      pressKey(older, 'Enter');
      await settled();
      http.expectNone((r) => r.url === '/api/music/generations');

      focusWithTab(newer);
      pressKey(newer, 'Enter');
      const page1 = http.expectOne((r) => r.url === '/api/music/generations');
      expect(page1.request.params.get('page')).toBe('1');
      page1.flush({ items: [summary(ID, 'happy · 30 s')], total: 15, page: 1, pageSize: 10 });
      await settled();
    });
  });
});
