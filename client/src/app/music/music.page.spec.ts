import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, problemBody, settle, storeSession } from '../../testing/test-helpers';
import { FakeEventSource } from '../../testing/fake-event-source';
import { GenerateFromEmotionDto } from '../api/models';
import { MusicPage } from './music.page';

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
const status = (state: string, percent: number, stage: string) => ({
  id: ID,
  queue: 'music-generation',
  state,
  progress: { percent, stage },
  createdAt: '2026-11-28T12:00:00.000Z',
});

describe('MusicPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<MusicPage>;
  let el: HTMLElement;

  async function settled(): Promise<void> {
    await settle();
    await fixture.whenStable();
    fixture.detectChanges();
  }

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

  it('sends a valence/arousal point instead of a name when the pad is used', async () => {
    el.querySelector<HTMLElement>('[data-testid="source-point"] button')!.click();
    await settled();
    const pad = el.querySelector<HTMLElement>('xy-va-pad .pad')!;
    pad.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp' }));
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
    http
      .expectOne('/api/music/generate/topic')
      .flush(
        problemBody(400, 'Bad Request', 'The request has invalid fields.', [{ field: 'durationSec', message: 'durationSec must not be greater than 300' }]),
        {
          status: 400,
          statusText: 'Bad Request',
        },
      );
    await settled();
    const fieldErrors = [...el.querySelectorAll('[data-testid="submit-problem"] .field-error')].map((e) => e.textContent?.trim());
    expect(fieldErrors).toEqual(['durationSec: durationSec must not be greater than 300']);
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
});
