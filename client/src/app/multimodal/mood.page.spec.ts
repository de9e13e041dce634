import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, problemBody, settleFixture, storeSession, refuseQuietly } from '../../testing/test-helpers';
import { FakeEventSource } from '../../testing/fake-event-source';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { MultimodalAnalysisDto } from '../api/models';
import { MoodPage } from './mood.page';

const MUSIC_ID = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';

const textOnly: MultimodalAnalysisDto = {
  text: { emotion: 'happy', valence: 0.62, arousal: 0.31, confidence: 0.8, language: 'en' },
  fused: { emotion: 'happy', valence: 0.62, arousal: 0.31, confidence: 0.8, weights: { text: 1 }, disagreement: 0 },
};

const faceAndText: MultimodalAnalysisDto = {
  face: {
    faces: [
      {
        box: { x: 4, y: 6, width: 20, height: 24 },
        emotion: 'happy',
        probabilities: { neutral: 0.1, happy: 0.8, sad: 0.04, angry: 0.02, fearful: 0.02, disgusted: 0.01, surprised: 0.01 },
        valence: 0.7,
        arousal: 0.4,
      },
    ],
    detector: 'face',
    emotion: 'happy',
    valence: 0.7,
    arousal: 0.4,
    confidence: 0.8,
  },
  text: { emotion: 'sad', valence: -0.7, arousal: -0.2, confidence: 0.7, language: 'en' },
  fused: { emotion: 'happy', valence: 0.05, arousal: 0.12, confidence: 0.5, weights: { face: 0.55, text: 0.45 }, disagreement: 0.7 },
};

describe('MoodPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<MoodPage>;
  let el: HTMLElement;

  const settled = () => settleFixture(fixture);

  async function type(text: string): Promise<void> {
    const box = el.querySelector<HTMLTextAreaElement>('[data-testid="mood-text"]')!;
    box.value = text;
    box.dispatchEvent(new Event('input'));
    await settled();
  }

  const analyzeButton = () => el.querySelector<HTMLButtonElement>('[data-testid="analyze"]')!;

  beforeEach(async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:picture', revokeObjectURL: () => undefined }));
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [MoodPage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MoodPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    await settled();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  it('sends a typed line as the text part and shows the text bars and the fused result', async () => {
    expect(analyzeButton().getAttribute('aria-disabled')).toBe('true');
    await type('I finally passed the exam!');
    expect(analyzeButton().getAttribute('aria-disabled')).not.toBe('true');
    analyzeButton().click();
    await settled();

    const request = http.expectOne('/api/multimodal/analyze');
    const form = request.request.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(form.get('text')).toBe('I finally passed the exam!');
    expect(form.has('image')).toBe(false);
    expect(form.has('audio')).toBe(false);
    request.flush(textOnly);
    await settled();

    expect(el.querySelector('[data-testid="affect-text"]')?.textContent).toContain('happy');
    expect(el.querySelector('[data-testid="text-valence"]')?.textContent).toBe('0.62');
    expect(el.querySelector('[data-testid="affect-fused"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="weight-text"]')?.textContent).toBe('100%');
    expect(el.querySelector('[data-testid="disagreement"]')?.classList.contains('warn')).toBe(false);
    expect(el.textContent).toContain('(English)');
  });

  it('sends an uploaded picture, draws each face box with its label and flags a disagreement', async () => {
    const picture = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'me.png', { type: 'image/png' });
    const input = el.querySelector<HTMLInputElement>('[data-testid="image-file"]')!;
    Object.defineProperty(input, 'files', { value: [picture] });
    input.dispatchEvent(new Event('change'));
    await settled();
    await type('What a sad day');
    analyzeButton().click();
    await settled();

    const request = http.expectOne('/api/multimodal/analyze');
    expect((request.request.body as FormData).get('image')).toBeInstanceOf(Blob);
    request.flush(faceAndText);
    await settled();
    // The picture's real size arrives with its load event.
    const img = el.querySelector<HTMLImageElement>('xy-face-overlay img')!;
    Object.defineProperty(img, 'naturalWidth', { value: 64 });
    Object.defineProperty(img, 'naturalHeight', { value: 48 });
    img.dispatchEvent(new Event('load'));
    await settled();

    const box = el.querySelector('xy-face-overlay rect')!;
    expect([box.getAttribute('x'), box.getAttribute('y'), box.getAttribute('width'), box.getAttribute('height')]).toEqual(['4', '6', '20', '24']);
    expect(el.querySelector('[data-testid="face-label"]')?.textContent).toContain('happy 80%');
    expect(el.querySelector('xy-face-overlay figcaption')?.textContent).toContain('face 1 happy (80%)');
    expect(el.querySelector('[data-testid="weight-face"]')?.textContent).toBe('55%');
    const disagreement = el.querySelector('[data-testid="disagreement"]')!;
    expect(disagreement.classList.contains('warn')).toBe(true);
    expect(disagreement.textContent).toContain('The modalities disagree (70%)');
  });

  it('scrolls the result into view when it arrives below the fold (a phone), and leaves the page alone when it is in sight', async () => {
    const scrolled = vi.fn();
    const result = () => el.querySelector<HTMLElement>('.result')!;
    result().scrollIntoView = scrolled;
    const top = vi.spyOn(result(), 'getBoundingClientRect').mockReturnValue({ top: window.innerHeight + 200 } as DOMRect);
    await type('What a lovely day');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(textOnly);
    await settled();
    expect(scrolled).toHaveBeenCalledTimes(1);

    top.mockReturnValue({ top: 100 } as DOMRect);
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush({ ...textOnly });
    await settled();
    expect(scrolled).toHaveBeenCalledTimes(1);
  });

  it('does not call moods that agree a disagreement (readings that agree still differ by a third or so)', async () => {
    await type('What a lovely day');
    analyzeButton().click();
    await settled();
    const agreeing = { ...faceAndText, text: { ...faceAndText.text!, emotion: 'happy', valence: 0.5 }, fused: { ...faceAndText.fused, disagreement: 0.45 } };
    http.expectOne('/api/multimodal/analyze').flush(agreeing);
    await settled();
    const disagreement = el.querySelector('[data-testid="disagreement"]')!;
    expect(disagreement.classList.contains('warn')).toBe(false);
    expect(disagreement.textContent).toContain('Disagreement 45%');
  });

  it('refuses a picture of another type before sending it', async () => {
    const gif = new File([new Uint8Array([0x47, 0x49, 0x46])], 'x.gif', { type: 'image/gif' });
    const input = el.querySelector<HTMLInputElement>('[data-testid="image-file"]')!;
    Object.defineProperty(input, 'files', { value: [gif] });
    input.dispatchEvent(new Event('change'));
    await settled();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('JPEG, PNG or WebP');
    expect(analyzeButton().getAttribute('aria-disabled')).toBe('true');
  });

  it('forgets how the user’s voice usually sounds on request, and says so', async () => {
    const forget = el.querySelector<HTMLButtonElement>('[data-testid="forget-voice"]')!;
    expect(el.querySelector('[data-testid="voice-forgotten"]')?.getAttribute('aria-live')).toBe('polite');
    expect(el.querySelector('[data-testid="voice-forgotten"]')?.textContent?.trim()).toBe('');
    focusWithTab(forget);
    pressKey(forget, 'Enter');
    await settled();
    const request = http.expectOne('/api/multimodal/voice-baseline');
    expect(request.request.method).toBe('DELETE');
    // Unavailable meanwhile, yet still focused: a second press sends nothing.
    expect(forget.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(forget);
    pressKey(forget, 'Enter');
    await settled();
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settled();
    expect(el.querySelector('[data-testid="voice-forgotten"]')?.textContent).toContain('read as a new speaker');
    expect(forget.getAttribute('aria-disabled')).not.toBe('true');
  });

  it('shows the fields the server rejected', async () => {
    await type('hello');
    analyzeButton().click();
    await settled();
    http
      .expectOne('/api/multimodal/analyze')
      .flush(
        problemBody(413, 'Payload Too Large', 'Audio is 31.0 s long; at most 30 s.', [{ field: 'audio', message: 'audio is 31.0 s long; at most 30 s' }]),
        {
          status: 413,
          statusText: 'Payload Too Large',
        },
      );
    await settled();
    const problem = el.querySelector('[data-testid="analyze-problem"]')!;
    expect(problem.getAttribute('role')).toBe('alert');
    expect(problem.textContent).toContain('audio is 31.0 s long; at most 30 s');
  });

  it('makes music from the fused mood and plays it when the job completes', async () => {
    await type('I finally passed the exam!');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(textOnly);
    await settled();

    const makeMusic = () => el.querySelector<HTMLButtonElement>('[data-testid="make-music"]')!.click();
    makeMusic();
    makeMusic(); // a double click asks for one piece
    await settled();
    const submit = http.expectOne('/api/multimodal/music');
    expect(submit.request.body).toEqual({ valence: 0.62, arousal: 0.31, durationSec: 30 });
    submit.flush(
      { id: MUSIC_ID, queue: 'music-generation', state: 'queued', statusUrl: '', eventsUrl: `/api/jobs/music-generation/${MUSIC_ID}/events` },
      { status: 202, statusText: 'Accepted' },
    );
    await settled();
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe(`/api/jobs/music-generation/${MUSIC_ID}/events?access_token=access-1`);
    const status = (state: string, percent: number, stage: string) => ({
      id: MUSIC_ID,
      queue: 'music-generation',
      state,
      progress: { percent, stage },
      createdAt: '2026-11-29T12:00:00.000Z',
    });
    source.emit('status', status('active', 40, 'rendering'));
    await settled();
    expect(el.textContent).toContain('Rendering audio…');
    makeMusic(); // nor does a click while the piece is made (http.verify finds no second request)
    await settled();
    source.emit('status', status('completed', 100, 'done'));
    await settled();
    http.expectOne(`/api/music/generation/${MUSIC_ID}/status`).flush({
      ...status('completed', 100, 'done'),
      result: { generationId: MUSIC_ID, key: 'G', mode: 'major', tempo: 120, valence: 0.62, arousal: 0.31 },
    });
    await settled();
    expect(el.querySelector('[data-testid="piece-audio"]')?.getAttribute('src')).toBe(
      `/api/music/generation/${MUSIC_ID}/audio?format=mp3&access_token=access-1`,
    );
    expect(el.textContent).toContain('G major at 120 BPM');
  });

  it('shows a failed save, forget and piece request on the page, with no toast besides', async () => {
    await type('I passed!');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(textOnly);
    await settled();

    el.querySelector<HTMLButtonElement>('[data-testid="save"]')!.click();
    await settled();
    refuseQuietly(http.expectOne('/api/multimodal/analyses'), 503, 'Service Unavailable', 'The database is not reachable.');
    await settled();
    expect(el.querySelector('[data-testid="analyze-problem"]')?.textContent).toContain('The database is not reachable.');

    el.querySelector<HTMLButtonElement>('[data-testid="forget-voice"]')!.click();
    await settled();
    refuseQuietly(http.expectOne('/api/multimodal/voice-baseline'), 500, 'Internal Server Error', 'The voice baseline could not be removed.');
    await settled();
    expect(el.querySelector('[data-testid="analyze-problem"]')?.textContent).toContain('The voice baseline could not be removed.');

    el.querySelector<HTMLButtonElement>('[data-testid="make-music"]')!.click();
    await settled();
    refuseQuietly(http.expectOne('/api/multimodal/music'), 429, 'Too Many Requests', 'Too many pieces; try again in an hour.');
    await settled();
    expect(el.querySelector('[data-testid="fused"]')?.closest('mat-card-content')?.querySelector('[role="alert"]')?.textContent).toContain(
      'Too many pieces; try again in an hour.',
    );

    el.querySelector<HTMLButtonElement>('[data-testid="make-music"]')!.click();
    await settled();
    http
      .expectOne('/api/multimodal/music')
      .flush({ id: MUSIC_ID, queue: 'music-generation', state: 'completed', statusUrl: '', eventsUrl: '' }, { status: 202, statusText: 'Accepted' });
    await settled();
    refuseQuietly(http.expectOne(`/api/music/generation/${MUSIC_ID}/status`), 404, 'Not Found', 'No such generation.');
    await settled();
    expect(el.textContent).toContain('No such generation.');
  });

  it('says when the live updates of the piece being made are interrupted', async () => {
    await type('I finally passed the exam!');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(textOnly);
    await settled();
    el.querySelector<HTMLButtonElement>('[data-testid="make-music"]')!.click();
    await settled();
    http
      .expectOne('/api/multimodal/music')
      .flush(
        { id: MUSIC_ID, queue: 'music-generation', state: 'queued', statusUrl: '', eventsUrl: `/api/jobs/music-generation/${MUSIC_ID}/events` },
        { status: 202, statusText: 'Accepted' },
      );
    await settled();
    const source = FakeEventSource.instances[0];
    source.emit('status', {
      id: MUSIC_ID,
      queue: 'music-generation',
      state: 'active',
      progress: { percent: 40, stage: 'rendering' },
      createdAt: '2026-11-29T12:00:00.000Z',
    });
    await settled();
    const progress = el.querySelector('[data-testid="piece-progress"]')!;
    expect(progress.getAttribute('aria-live')).toBe('polite');
    expect(progress.textContent?.trim()).toBe('Rendering audio…');

    source.fail(FakeEventSource.CONNECTING);
    await settled();
    // Said in the live region that shows the stage, so the progress does not just look frozen.
    expect(el.querySelector('[data-testid="piece-progress"]')).toBe(progress);
    expect(progress.textContent).toContain('Rendering audio…');
    expect(progress.textContent).toContain('Connection lost, reconnecting…');

    source.connect();
    await settled();
    expect(progress.textContent?.trim()).toBe('Rendering audio…');
  });

  it('keeps an analysis of what was changed since from being saved or made into music, and draws no old boxes on a new picture', async () => {
    const upload = async (name: string) => {
      const input = el.querySelector<HTMLInputElement>('[data-testid="image-file"]')!;
      Object.defineProperty(input, 'files', { value: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], name, { type: 'image/png' })], configurable: true });
      input.dispatchEvent(new Event('change'));
      await settled();
    };
    await upload('me.png');
    await type('What a sad day');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(faceAndText);
    await settled();
    expect(el.querySelector('[data-testid="stale-analysis"]')).toBeNull();

    const remove = el.querySelector<HTMLButtonElement>('[data-testid="clear-image"]')!;
    focusWithTab(remove);
    pressKey(remove, 'Enter');
    await settled();
    // The Remove button went with the picture: the focus is on the camera button, not dropped to the page.
    expect(document.activeElement).toBe(el.querySelector('[data-testid="camera"]'));
    await upload('someone-else.png');
    expect(document.activeElement).toBe(el.querySelector('[data-testid="clear-image"]'));
    expect(el.querySelector('xy-face-overlay figcaption')?.textContent ?? '').not.toContain('happy');
    expect(el.querySelector('[data-testid="stale-analysis"]')?.textContent).toContain('Analyse again');
    const save = el.querySelector<HTMLButtonElement>('[data-testid="save"]')!;
    const makeMusic = el.querySelector<HTMLButtonElement>('[data-testid="make-music"]')!;
    expect(save.getAttribute('aria-disabled')).toBe('true');
    save.click();
    makeMusic.click();
    await settled();
    http.expectNone('/api/multimodal/analyses');
    http.expectNone('/api/multimodal/music');
  });

  it('does not mark a newer analysis saved when the save of an earlier one answers late', async () => {
    await type('I passed!');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(textOnly);
    await settled();
    el.querySelector<HTMLButtonElement>('[data-testid="save"]')!.click();
    await settled();
    const save = http.expectOne('/api/multimodal/analyses');

    await type('So sad');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush({ ...textOnly, fused: { ...textOnly.fused, valence: -0.6 } });
    await settled();
    save.flush({ id: 'a1', createdAt: '2026-11-29T12:00:00.000Z', analysis: textOnly });
    await settled();
    expect(el.querySelector('[data-testid="saved"]')).toBeNull();
    expect(el.querySelector('[data-testid="save"]')).not.toBeNull();
  });

  it('moves the keyboard focus to "Saved" when the saved analysis replaces the Save button', async () => {
    await type('I passed!');
    analyzeButton().click();
    await settled();
    http.expectOne('/api/multimodal/analyze').flush(textOnly);
    await settled();
    const save = el.querySelector<HTMLButtonElement>('[data-testid="save"]')!;
    save.focus();
    save.click();
    await settled();
    http.expectOne('/api/multimodal/analyses').flush({ id: 'a1', createdAt: '2026-11-29T12:00:00.000Z', analysis: textOnly });
    await settled();
    await fixture.whenStable();
    expect(document.activeElement).toBe(el.querySelector('[data-testid="saved"]'));
  });
});
