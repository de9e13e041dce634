import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, problemBody, settleFixture, storeSession, refuseQuietly } from '../../testing/test-helpers';
import { FakeEventSource } from '../../testing/fake-event-source';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { StoryResultDto } from '../api/models';
import { SILENT_ERRORS } from '../core/http/request-context';
import { StorytellerPage } from './storyteller.page';
import { StoryStore } from './story.store';

const ID = '5d0c6a8e-2f54-4a8b-9b7d-1b9c7f0b3a21';
const TEXT = 'The village was grey.\n\nA girl found a golden seed.\n\nThe valley bloomed.';
const emptyHistory = { items: [], total: 0, page: 1, pageSize: 10 };
const result: StoryResultDto = {
  storyId: ID,
  language: 'en',
  scenes: [
    { index: 0, start: 0, end: 21, excerpt: 'The village was grey.', emotion: 'sad', valence: -0.5, arousal: -0.2, arcValence: -0.4, arcArousal: -0.1 },
    {
      index: 1,
      start: 23,
      end: 50,
      excerpt: 'A girl found a golden seed.',
      emotion: 'surprised',
      valence: 0.2,
      arousal: 0.4,
      arcValence: 0.1,
      arcArousal: 0.3,
    },
    { index: 2, start: 52, end: 71, excerpt: 'The valley bloomed.', emotion: 'happy', valence: 0.7, arousal: 0.3, arcValence: 0.6, arcArousal: 0.3 },
  ],
  arc: { shape: 'rags-to-riches', fit: 0.93, valence: [-0.4, 0.1, 0.6], arousal: [-0.1, 0.3, 0.3] },
  timeline: [
    { scene: 0, startSec: 0, endSec: 20, key: 'D minor', tempo: 72 },
    { scene: 1, startSec: 20, endSec: 40, key: 'F major', tempo: 96 },
    { scene: 2, startSec: 40, endSec: 62, key: 'A major', tempo: 112 },
  ],
  durationSec: 64,
  audioUrl: `/api/multimodal/stories/${ID}/audio?format=mp3`,
  midiUrl: `/api/multimodal/stories/${ID}/midi`,
  explanation: ['The arc rises from the start to the end: rags to riches.'],
};
const status = (state: string, percent: number, stage: string) => ({
  id: ID,
  queue: 'multimodal-story',
  state,
  title: 'The village was grey.',
  progress: { percent, stage },
  createdAt: '2026-11-29T12:00:00.000Z',
});

describe('StorytellerPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<StorytellerPage>;
  let el: HTMLElement;

  const settled = () => settleFixture(fixture);

  beforeEach(async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [StorytellerPage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(StorytellerPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush(emptyHistory);
    await settled();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  async function tell(): Promise<void> {
    const box = el.querySelector<HTMLTextAreaElement>('[data-testid="story-text"]')!;
    box.value = TEXT;
    box.dispatchEvent(new Event('input'));
    await settled();
    el.querySelector<HTMLButtonElement>('[data-testid="tell"]')!.click();
    await settled();
  }

  it('follows the story job through its stages, then shows the arc, the scenes and the timeline, highlighting the scene that plays', async () => {
    await tell();
    const submit = http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'POST');
    expect(submit.request.body).toEqual({ text: TEXT });
    submit.flush(
      { id: ID, queue: 'multimodal-story', state: 'queued', statusUrl: `/api/multimodal/stories/${ID}`, eventsUrl: `/api/jobs/multimodal-story/${ID}/events` },
      { status: 202, statusText: 'Accepted' },
    );
    await settled();
    http.expectOne(`/api/multimodal/stories/${ID}`).flush({ ...status('queued', 0, 'queued'), text: TEXT });
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush(emptyHistory);
    await settled();

    const source = FakeEventSource.instances[0];
    expect(source.url).toBe(`/api/jobs/multimodal-story/${ID}/events?access_token=access-1`);
    source.emit('status', status('active', 15, 'arc'));
    await settled();
    expect(el.querySelector('[data-testid="story-progress"]')?.textContent).toContain('Reading the emotion arc… 15%');
    // The status region was in the page before the job started, so screen readers say each stage and the end.
    const announcement = el.querySelector('[data-testid="announcement"]');
    expect(announcement?.getAttribute('role')).toBe('status');
    expect(announcement?.textContent?.trim()).toBe('Reading the emotion arc…');
    // While it runs, a second press sends nothing (a second job would run unseen and spend the quota).
    const tellButton = el.querySelector<HTMLButtonElement>('[data-testid="tell"]')!;
    expect(tellButton.getAttribute('aria-disabled')).toBe('true');
    tellButton.click();
    await settled();
    http.expectNone((r) => r.url === '/api/multimodal/stories' && r.method === 'POST');

    source.emit('status', status('completed', 100, 'done'));
    await settled();
    http.expectOne(`/api/multimodal/stories/${ID}`).flush({ ...status('completed', 100, 'done'), text: TEXT, result });
    await settled();
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush(emptyHistory);
    await settled();

    expect(el.querySelector('[data-testid="announcement"]')).toBe(announcement);
    expect(announcement?.textContent?.trim()).toBe('Your story is set to music.');
    expect(el.querySelector('[data-testid="arc-shape"]')?.textContent).toBe('rags to riches');
    expect(el.querySelectorAll('[data-testid="scenes"] .scene')).toHaveLength(3);
    expect(el.querySelector('[data-scene="1"]')?.textContent?.trim()).toBe('A girl found a golden seed.');
    expect(el.querySelector('[data-testid="timeline"]')?.textContent).toContain('Scene 2: 20.0–40.0 s · F major · 96 BPM');
    const audio = el.querySelector<HTMLAudioElement>('[data-testid="story-audio"]')!;
    expect(audio.getAttribute('src')).toBe(`/api/multimodal/stories/${ID}/audio?format=mp3&access_token=access-1`);

    Object.defineProperty(audio, 'currentTime', { value: 25, writable: true });
    audio.dispatchEvent(new Event('timeupdate'));
    await settled();
    expect(el.querySelector('.scene.current')?.getAttribute('data-scene')).toBe('1');
    expect(el.querySelector('[data-scene="1"]')?.getAttribute('aria-current')).toBe('true');

    // A scene's button moves the audio to where the scene plays.
    el.querySelector<HTMLButtonElement>('[data-scene="2"]')!.click();
    await settled();
    expect(audio.currentTime).toBe(40);
    expect(el.querySelector('.scene.current')?.getAttribute('data-scene')).toBe('2');
  });

  it('shows the fields the server rejected', async () => {
    await tell();
    const submit = http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'POST');
    // The page shows the problem beside the form: no toast says it a second time.
    expect(submit.request.context.get(SILENT_ERRORS)).toBe(true);
    submit.flush(problemBody(400, 'Bad Request', 'text must not be empty.', [{ field: 'text', message: 'text must not be empty' }]), {
      status: 400,
      statusText: 'Bad Request',
    });
    await settled();
    expect(el.querySelector('[data-testid="story-problem"]')?.textContent).toContain('text must not be empty');
  });

  it('shows a failed read of the story and a failed list of stories on the page, with no toast besides', async () => {
    await tell();
    http
      .expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'POST')
      .flush(problemBody(429, 'Too Many Requests', 'Too many stories; try again in an hour.'), { status: 429, statusText: 'Too Many Requests' });
    await settled();
    expect(el.querySelector('[data-testid="story-problem"]')?.textContent).toContain('Too many stories');

    // Opening a story: its failed read replaces the earlier refusal (which would hide it).
    fixture.debugElement.injector.get(StoryStore).show(ID);
    refuseQuietly(http.expectOne(`/api/multimodal/stories/${ID}`), 404, 'Not Found', 'No such story.');
    await settled();
    expect(el.querySelector('[data-testid="story-problem"]')?.textContent).toContain('No such story.');

    fixture.debugElement.injector.get(StoryStore).reloadHistory();
    refuseQuietly(
      http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET'),
      503,
      'Service Unavailable',
      'The database is not reachable.',
    );
    await settled();
    expect(el.querySelector('xy-error-state')?.textContent).toContain('The database is not reachable.');
  });

  it('says, also to screen readers, when the live updates of a story being set to music are interrupted', async () => {
    await tell();
    http
      .expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'POST')
      .flush(
        {
          id: ID,
          queue: 'multimodal-story',
          state: 'queued',
          statusUrl: `/api/multimodal/stories/${ID}`,
          eventsUrl: `/api/jobs/multimodal-story/${ID}/events`,
        },
        { status: 202, statusText: 'Accepted' },
      );
    await settled();
    http.expectOne(`/api/multimodal/stories/${ID}`).flush({ ...status('queued', 0, 'queued'), text: TEXT });
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush(emptyHistory);
    const source = FakeEventSource.instances[0];
    source.emit('status', status('active', 15, 'arc'));
    await settled();
    const announcement = el.querySelector('[data-testid="announcement"]')!;
    expect(announcement.textContent?.trim()).toBe('Reading the emotion arc…');

    source.fail(FakeEventSource.CONNECTING);
    await settled();
    expect(el.querySelector('[data-testid="story-progress"]')?.textContent).toContain('reconnecting');
    expect(el.querySelector('[data-testid="announcement"]')).toBe(announcement);
    expect(announcement.textContent).toContain('Reading the emotion arc…');
    expect(announcement.textContent).toContain('Connection lost, reconnecting…');

    source.connect();
    await settled();
    expect(announcement.textContent?.trim()).toBe('Reading the emotion arc…');
  });

  it("sends one DELETE when a story's Delete is pressed twice, and keeps the button focusable but unavailable meanwhile", async () => {
    const item = (id: string, title: string) => ({ id, title, state: 'completed', createdAt: '2026-11-29T12:00:00.000Z' });
    const two = { items: [item('s1', 'The seed'), item('s2', 'The storm')], total: 2, page: 1, pageSize: 10 };
    fixture.debugElement.injector.get(StoryStore).reloadHistory();
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush(two);
    await settled();
    const remove = el.querySelector<HTMLButtonElement>('[data-story="s1"] button[aria-label="Delete The seed"]')!;
    focusWithTab(remove);
    pressKey(remove, 'Enter');
    await settled();
    pressKey(remove, 'Enter');
    remove.click();
    await settled();
    const deletes = http.match({ method: 'DELETE', url: '/api/multimodal/stories/s1' });
    expect(deletes).toHaveLength(1);
    // Unavailable while it is deleted, yet still focused (disabledInteractive); the other items' Delete stays available.
    expect(remove.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(remove);
    expect(el.querySelector('[data-story="s2"] button[aria-label="Delete The storm"]')?.hasAttribute('aria-disabled')).toBe(false);
    deletes[0].flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    remove.click();
    await settled();
    http.expectNone({ method: 'DELETE', url: '/api/multimodal/stories/s1' });
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush({ ...two, items: [two.items[1]], total: 1 });
    await settled();
    expect(el.querySelector('[data-story="s1"]')).toBeNull();
  });

  it('keeps the keyboard focus on the list when a story is deleted with its Delete button', async () => {
    const item = (id: string, title: string) => ({ id, title, state: 'completed', createdAt: '2026-11-29T12:00:00.000Z' });
    const two = { items: [item('s1', 'The seed'), item('s2', 'The storm')], total: 2, page: 1, pageSize: 10 };
    fixture.debugElement.injector.get(StoryStore).reloadHistory();
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush(two);
    await settled();
    const remove = el.querySelector<HTMLButtonElement>('[data-story="s1"] button[aria-label="Delete The seed"]')!;
    focusWithTab(remove);
    pressKey(remove, 'Enter');
    await settled();
    http.expectOne('/api/multimodal/stories/s1').flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    http.expectOne((r) => r.url === '/api/multimodal/stories' && r.method === 'GET').flush({ ...two, items: [two.items[1]], total: 1 });
    await settled();
    expect(document.activeElement).toBe(el.querySelector('[data-story="s2"] button'));
  });
});
