import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, settle, storeSession } from '../../testing/test-helpers';
import { FakeEventSource } from '../../testing/fake-event-source';
import { MusicPage } from './music.page';

const ID = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';
const emptyHistory = { items: [], total: 0, page: 1, pageSize: 10 };
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
    expect(submit.request.body).toEqual(expect.objectContaining({ valence: 0.5, arousal: 0.4, durationSec: 30 }));
    expect(submit.request.body.emotion).toBeUndefined();
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
    http.expectOne('/api/music/generate/topic').flush(
      {
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: 'You can start 30 music generations per hour; try again later.',
        instance: '/api/music/generate/topic',
        requestId: 'r1',
      },
      { status: 429, statusText: 'Too Many Requests' },
    );
    await settled();
    expect(el.querySelector('[data-testid="submit-problem"]')?.textContent).toContain('30 music generations per hour');
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
});
