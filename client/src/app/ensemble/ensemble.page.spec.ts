import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, settle, storeSession } from '../../testing/test-helpers';
import { EnsemblePage } from './ensemble.page';
import { EnsembleStore } from './ensemble.store';

const REC = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';
const lobby = {
  items: [
    { id: 'r1', code: 'K7MZ3Q', name: 'Friday jam', tempo: 96, members: 3, capacity: 8, accompanist: 'accompany', createdAt: '2026-11-29T12:00:00.000Z' },
  ],
};
const recordings = {
  items: [
    {
      id: REC,
      sessionId: 'r1',
      name: 'Friday jam · 2026-11-29 12:03',
      durationSec: 42.5,
      tempo: 96,
      key: 'A minor',
      tracks: [{ memberId: 'm1', name: 'mei', channel: 0, program: 0, notes: 12 }],
      audio: 'completed',
      mine: true,
      createdAt: '2026-11-29T12:03:00.000Z',
    },
  ],
  total: 1,
  page: 1,
  pageSize: 10,
};

/** A room as room:state carries it, to open the room view without a server. */
const ROOM = {
  id: 'r1',
  code: 'K7MZ3Q',
  name: 'Friday jam',
  tempo: 96,
  quantum: 4,
  metronome: false,
  interval: 'auto',
  intervalMs: 10000,
  playoutDelayMs: 40,
  recording: null,
  accompanist: { mode: 'off', style: 'pop', memberId: 'ai-r1' },
  members: [],
  version: 1,
};

describe('EnsemblePage (lobby)', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<EnsemblePage>;
  let element: HTMLElement;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [EnsemblePage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(EnsemblePage);
    fixture.detectChanges();
    http.expectOne('/api/ensemble/rooms').flush(lobby);
    http.expectOne((r) => r.url === '/api/ensemble/recordings').flush(recordings);
    await settle();
    fixture.detectChanges();
    element = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  it('lists the open rooms with their code, members and accompanist', () => {
    const text = element.querySelector('[data-testid="lobby"]')?.textContent ?? '';
    expect(text).toContain('Friday jam');
    expect(text).toContain('3/8');
    expect(text).toContain('96 BPM · AI chords, bass and drums');
    expect(text).toContain('Join K7MZ3Q');
  });

  it('offers the recordings for download with the token in the link (for <a download>)', () => {
    const links = [...element.querySelectorAll<HTMLAnchorElement>('.recordings a')].map((a) => a.getAttribute('href') ?? '');
    expect(links.some((href) => href.includes(`/api/ensemble/recordings/${REC}/midi`) && href.includes('access_token='))).toBe(true);
    expect(links.some((href) => href.includes(`/api/ensemble/recordings/${REC}/audio?format=wav`))).toBe(true);
  });

  it('moves the keyboard focus to the room when it opens and back to the lobby when it closes', async () => {
    const store = fixture.debugElement.injector.get(EnsembleStore);
    const roomState = (store as unknown as { roomState: { set(value: unknown): void } }).roomState;
    const join = element.querySelector<HTMLButtonElement>('[data-testid="join-room"]')!;
    join.focus();
    roomState.set(ROOM);
    fixture.detectChanges();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('room-title');
    roomState.set(null);
    fixture.detectChanges();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('create-title');
  });

  it("shows the room's link in a read-only field that a focus selects, to copy by hand", async () => {
    const store = fixture.debugElement.injector.get(EnsembleStore);
    (store as unknown as { roomState: { set(value: unknown): void } }).roomState.set(ROOM);
    fixture.detectChanges();
    await fixture.whenStable();
    const field = element.querySelector<HTMLInputElement>('[data-testid="join-link"]')!;
    expect(field.value).toBe(`${location.origin}/ensemble/room/K7MZ3Q`);
    expect(field.readOnly).toBe(true);
    expect(element.querySelector(`label[for="${field.id}"]`)?.textContent?.trim()).toBe('Join link');
    field.focus();
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, field.value.length]);
  });

  it("copies the room's link, and says so, or says to select it when the browser refuses", async () => {
    const store = fixture.debugElement.injector.get(EnsembleStore);
    (store as unknown as { roomState: { set(value: unknown): void } }).roomState.set(ROOM);
    fixture.detectChanges();
    await fixture.whenStable();
    const clipboard = TestBed.inject(Clipboard);
    const copy = vi.spyOn(clipboard, 'copy').mockReturnValue(true);
    const status = () => element.querySelector('.copied')?.textContent?.trim();
    expect(status()).toBe('');
    element.querySelector<HTMLButtonElement>('[data-testid="copy-link"]')!.click();
    fixture.detectChanges();
    expect(copy).toHaveBeenCalledWith(`${location.origin}/ensemble/room/K7MZ3Q`);
    expect(status()).toBe('Link copied');
    copy.mockReturnValue(false);
    element.querySelector<HTMLButtonElement>('[data-testid="copy-link"]')!.click();
    fixture.detectChanges();
    expect(status()).toBe('Could not copy: select the link instead');
  });

  it('announces the connection state, not the latency figures that change every few seconds', () => {
    const store = fixture.debugElement.injector.get(EnsembleStore);
    const region = () => element.querySelector('[data-testid="connection"] [role="status"]')?.textContent?.trim();
    expect(region()).toBe('Not connected: start or join a room');
    store.connected.set(true);
    store.rttMs.set(20.1);
    fixture.detectChanges();
    expect(region()).toBe('Connected');
    store.rttMs.set(21.4);
    fixture.detectChanges();
    expect(region()).toBe('Connected');
    expect(element.querySelector('[data-testid="connection"]')?.textContent).toContain('round trip 21.4 ms');
  });

  it('enables Join only for a six-character code, keeping the button focusable meanwhile', async () => {
    const join = vi.spyOn(fixture.debugElement.injector.get(EnsembleStore), 'join').mockResolvedValue();
    const button = element.querySelector<HTMLButtonElement>('[data-testid="join-room"]')!;
    const input = element.querySelector<HTMLInputElement>('[data-testid="join-code"]')!;
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.disabled).toBe(false);
    input.value = 'K7MZ';
    input.dispatchEvent(new Event('input'));
    button.click();
    expect(join).not.toHaveBeenCalled();
    input.value = 'K7MZ3Q';
    input.dispatchEvent(new Event('input'));
    await settle();
    fixture.detectChanges();
    expect(button.getAttribute('aria-disabled')).not.toBe('true');
    button.click();
    expect(join).toHaveBeenCalledWith('K7MZ3Q');
  });
});

describe('EnsemblePage (computer keyboard)', () => {
  let page: EnsemblePage;
  let played: [string, number][];

  beforeEach(() => {
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [EnsemblePage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const fixture = TestBed.createComponent(EnsemblePage);
    page = fixture.componentInstance;
    const store = fixture.debugElement.injector.get(EnsembleStore);
    vi.spyOn(store, 'room').mockReturnValue({ id: 'r1' } as ReturnType<EnsembleStore['room']>);
    played = [];
    vi.spyOn(store, 'play').mockImplementation((type, pitch) => void played.push([type, pitch]));
  });

  const key = (type: 'keydown' | 'keyup', code: string) => new KeyboardEvent(type, { code });

  it('says why a typed tempo out of range is not taken, and sends nothing', () => {
    const update = vi.spyOn((page as unknown as { store: EnsembleStore }).store, 'update').mockResolvedValue();
    page.setTempo(400);
    expect(page.tempoProblem()).toMatch(/30 to 300 BPM/);
    expect(update).not.toHaveBeenCalled();
    page.setTempo(140);
    expect(page.tempoProblem()).toBeNull();
    expect(update).toHaveBeenCalledWith({ tempo: 140 });
  });

  it('ends a held note on key-up even when the octave changed while it was held', () => {
    page.onKeyDown(key('keydown', 'KeyA'));
    page.onKeyDown(key('keydown', 'KeyX'));
    page.onKeyUp(key('keyup', 'KeyA'));
    expect(played).toEqual([
      ['on', 60],
      ['off', 60],
    ]);
  });

  it('ends the held notes when the window loses focus (no key-up will come)', () => {
    page.onKeyDown(key('keydown', 'KeyA'));
    page.onKeyDown(key('keydown', 'KeyD'));
    page.releaseKeys();
    page.onKeyUp(key('keyup', 'KeyA'));
    expect(played).toEqual([
      ['on', 60],
      ['on', 64],
      ['off', 60],
      ['off', 64],
    ]);
  });
});

describe('EnsemblePage (Web MIDI)', () => {
  it('lets go of the MIDI inputs when the page goes', async () => {
    const port = { name: 'Keys', onmidimessage: null as unknown };
    const access = { inputs: new Map([['k', port]]), onstatechange: null as unknown };
    Object.defineProperty(navigator, 'requestMIDIAccess', { value: () => Promise.resolve(access), configurable: true });
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({ imports: [EnsemblePage], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const fixture = TestBed.createComponent(EnsemblePage);
    fixture.detectChanges();
    await settle();
    expect(port.onmidimessage).toEqual(expect.any(Function));
    expect(fixture.componentInstance.midiInputs()).toEqual(['Keys']);
    fixture.destroy();
    expect(port.onmidimessage).toBeNull();
    expect(access.onstatechange).toBeNull();
    delete (navigator as { requestMIDIAccess?: unknown }).requestMIDIAccess;
  });
});
