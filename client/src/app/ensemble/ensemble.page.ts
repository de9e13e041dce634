import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  HostListener,
  Injector,
  OnInit,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { ClipboardModule } from '@angular/cdk/clipboard';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import type { ErrorStateMatcher } from '@angular/material/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { EnsembleStore, ROLL_WINDOW_MS, type AccompanistMode } from './ensemble.store';
import { isBlackKey, noteName, octaveForKey, pitchForKey } from './keyboard-map';

export const INSTRUMENTS: readonly { program: number; name: string }[] = [
  { program: 0, name: 'Piano' },
  { program: 4, name: 'Electric piano' },
  { program: 16, name: 'Organ' },
  { program: 24, name: 'Nylon guitar' },
  { program: 32, name: 'Acoustic bass' },
  { program: 40, name: 'Violin' },
  { program: 48, name: 'Strings' },
  { program: 56, name: 'Trumpet' },
  { program: 65, name: 'Alto sax' },
  { program: 73, name: 'Flute' },
  { program: 80, name: 'Square lead' },
  { program: 88, name: 'Pad' },
];
/** The accompanist's styles (the server also takes other genres, played in the nearest of these). */
const STYLE_NAMES = ['pop', 'folk', 'classical', 'lullaby', 'ballad', 'ambient', 'nocturne', 'jazz', 'cinematic', 'electronic', 'rock', 'chinese'];
export const STYLES = STYLE_NAMES.map((value) => ({ value, label: value[0].toUpperCase() + value.slice(1) }));
export const MODES: readonly { value: AccompanistMode; label: string }[] = [
  { value: 'accompany', label: 'Chords, bass and drums' },
  { value: 'call-response', label: 'Call and response' },
  { value: 'drums', label: 'Drummer only' },
  { value: 'off', label: 'Off' },
];

/** The Ensemble page: a lobby, then a room to play in together with the AI accompanist. */
@Component({
  selector: 'xy-ensemble-page',
  imports: [ClipboardModule, FormsModule, MatButtonModule, MatCardModule, MatCheckboxModule, MatFormFieldModule, MatIconModule, MatInputModule],
  templateUrl: './ensemble.page.html',
  styleUrl: './ensemble.page.scss',
  providers: [EnsembleStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EnsemblePage implements OnInit {
  readonly store = inject(EnsembleStore);
  private destroyed = false;
  private releaseMidi = (): void => undefined;

  /** A join link's code (route parameter). */
  readonly code = input<string>();

  readonly instruments = INSTRUMENTS;
  readonly styles = STYLES;
  readonly modes = MODES;
  /** How the lobby names a room's accompanist ("AI drummer only"; "no accompanist" when it is off). */
  readonly accompanistNames: ReadonlyMap<string, string> = new Map(
    MODES.map((m) => [m.value, m.value === 'off' ? 'no accompanist' : `AI ${m.label.toLowerCase()}`]),
  );
  readonly newName = signal('');
  readonly newTempo = signal(120);
  readonly newMode = signal<AccompanistMode>('accompany');
  readonly newStyle = signal('pop');
  readonly joinCode = signal('');
  /** Whether the last Copy link put the room's link on the clipboard (null before any). */
  readonly linkCopied = signal<boolean | null>(null);
  readonly canJoin = computed(() => !this.store.busy() && this.joinCode().trim().length === 6);
  readonly octave = signal(4);
  readonly held = signal<ReadonlySet<number>>(new Set());
  readonly midiInputs = signal<string[]>([]);
  /** The pitch each held computer key started, so its key-up ends that note even after an octave change. */
  private readonly keyPitches = new Map<string, number>();

  /** Two octaves of keys from the current octave's C. */
  readonly keys = computed(() =>
    Array.from({ length: 25 }, (_, i) => 12 * (this.octave() + 1) + i).map((pitch) => ({ pitch, name: noteName(pitch), black: isBlackKey(pitch) })),
  );

  /** The piano roll as rectangles: x by time (last ROLL_WINDOW_MS), y by pitch. */
  readonly rollBars = computed(() => {
    const notes = this.store.roll();
    if (notes.length === 0) return [];
    const end = Math.max(...notes.map((n) => n.end ?? n.start)) + 200;
    const ai = this.store.accompanistId();
    const mine = this.store.memberId();
    return notes.map((n) => ({
      x: Math.max(0, 1000 - ((end - n.start) / ROLL_WINDOW_MS) * 1000),
      w: Math.max(3, (((n.end ?? end) - n.start) / ROLL_WINDOW_MS) * 1000),
      y: (127 - n.pitch) * 4,
      who: n.memberId === ai ? 'ai' : n.memberId === mine ? 'me' : 'other',
    }));
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.releaseMidi();
    });
    // Joining replaces the lobby with the room and leaving the room with the lobby, the focused button with them: the
    // keyboard focus goes to the new view's heading.
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const injector = inject(Injector);
    let inRoom = false;
    effect(() => {
      const now = this.store.room() !== null;
      if (now === inRoom) return;
      inRoom = now;
      untracked(() =>
        afterNextRender(
          () => {
            const focused = document.activeElement;
            if (focused && focused !== document.body && host.contains(focused)) return;
            host.querySelector<HTMLElement>(now ? '#room-title' : '#create-title')?.focus();
          },
          { injector },
        ),
      );
    });
  }

  ngOnInit(): void {
    this.store.loadLobby();
    const code = this.code();
    if (code) this.store.join(code).catch(() => undefined);
    this.listenToMidi().catch(() => undefined);
  }

  joinLink(code: string): string {
    return `${location.origin}/ensemble/room/${code}`;
  }

  press(pitch: number): void {
    if (this.held().has(pitch)) return;
    this.held.update((h) => new Set(h).add(pitch));
    this.store.play('on', pitch);
  }

  release(pitch: number): void {
    if (!this.held().has(pitch)) return;
    this.held.update((h) => {
      const next = new Set(h);
      next.delete(pitch);
      return next;
    });
    this.store.play('off', pitch);
  }

  /** The computer keyboard plays while in a room (not while typing in a field). */
  @HostListener('window:keydown', ['$event'])
  onKeyDown(event: KeyboardEvent): void {
    if (!this.store.room() || event.repeat || isTyping(event)) return;
    const octave = octaveForKey(event.code, this.octave());
    if (octave !== undefined) return this.octave.set(octave);
    const pitch = pitchForKey(event.code, this.octave());
    if (pitch === undefined) return;
    event.preventDefault();
    this.keyPitches.set(event.code, pitch);
    this.press(pitch);
  }

  @HostListener('window:keyup', ['$event'])
  onKeyUp(event: KeyboardEvent): void {
    const pitch = this.keyPitches.get(event.code);
    if (pitch === undefined) return;
    this.keyPitches.delete(event.code);
    this.release(pitch);
  }

  /** A window that loses focus gets no key-ups: the notes its keys hold end now rather than ring on. */
  @HostListener('window:blur')
  releaseKeys(): void {
    for (const pitch of this.keyPitches.values()) this.release(pitch);
    this.keyPitches.clear();
  }

  /** Any Web MIDI input plays too (note on/off on any channel). */
  private async listenToMidi(): Promise<void> {
    const nav = navigator as Navigator & { requestMIDIAccess?: () => Promise<MIDIAccess> };
    if (!nav.requestMIDIAccess) return;
    try {
      const access = await nav.requestMIDIAccess();
      const attach = () => {
        const names: string[] = [];
        access.inputs.forEach((port) => {
          names.push(port.name ?? 'MIDI input');
          port.onmidimessage = (message) => this.onMidi(message.data);
        });
        this.midiInputs.set(names);
      };
      if (this.destroyed) return; // left while the browser asked
      attach();
      access.onstatechange = attach;
      // The MIDI access outlives the page: its handlers would keep playing into a page that is gone.
      this.releaseMidi = () => {
        access.onstatechange = null;
        access.inputs.forEach((port) => (port.onmidimessage = null));
      };
    } catch {
      // No permission or no MIDI: the on-screen and computer keyboards still play.
    }
  }

  private onMidi(data: Uint8Array | null): void {
    if (!data || data.length < 3) return;
    const kind = data[0] & 0xf0;
    if (kind === 0x90 && data[2] > 0) this.store.play('on', data[1], data[2]);
    else if (kind === 0x80 || kind === 0x90) this.store.play('off', data[1], 0);
  }

  /** What screen readers hear of the last recording's audio render (a status region that stays in the page). */
  protected readonly renderAnnouncement = computed(() => {
    const recording = this.store.lastRecording();
    const state = recording ? this.store.renders()[recording.id]?.state : undefined;
    if (state === 'completed') return "The recording's audio is ready to download.";
    if (state === 'failed') return "The recording's audio could not be rendered.";
    return state ? "Rendering the recording's audio…" : '';
  });

  /** The render button's label while the render runs or once it is done (it cannot be started then), else null. */
  renderLabel(recordingId: string): string | null {
    const render = this.store.renders()[recordingId];
    if (render?.state === 'queued') return 'Waiting to render…';
    if (render?.state === 'active') return `Rendering… ${render.percent} %`;
    if (render?.state === 'completed') return 'Audio rendered';
    return null;
  }

  /** Why the typed tempo was not taken (shown and announced beside the field), or null. */
  readonly tempoProblem = signal<string | null>(null);

  /** The tempo field shows its error look while the typed tempo is refused. */
  readonly tempoErrorState: ErrorStateMatcher = { isErrorState: () => this.tempoProblem() !== null };

  setTempo(value: number): void {
    if (!Number.isFinite(value) || value < 30 || value > 300) {
      this.tempoProblem.set('The tempo must be from 30 to 300 BPM; the room keeps its tempo.');
      return;
    }
    this.tempoProblem.set(null);
    this.store.update({ tempo: value }).catch(() => undefined);
  }
}

function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !!target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
}
