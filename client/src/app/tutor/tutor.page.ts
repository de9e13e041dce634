import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  OnDestroy,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute } from '@angular/router';
import { ExerciseDto, NoteVerdictDto, SkillStatusDto } from '../api/models';
import { ErrorState } from '../shared/page-state/error-state';
import { LoadingState } from '../shared/page-state/loading-state';
import { noteName, type LivePitch } from './live-pitch';
import { MicRecorder, type RecorderStats } from './mic-recorder';
import { ProgressChart } from './progress-chart';
import { StaffView } from './staff-view';
import { TapPad } from './tap-pad';
import { AuthStore } from '../core/auth/auth.store';
import { TutorStore } from './tutor.store';
import { TutorSchedulerPanel } from './scheduler/tutor-scheduler-panel';
import { verdictColour, verdictLabel } from './verdicts';
import { TokenSrc } from '../core/media/token-src';

/** What the live needle shows while recording. */
interface Needle {
  name: string;
  cents: number;
}

const ROLL_HEIGHT = 160;

/** The tutor: today's plan, exercises (ear training, reading, rhythm, singing), note-by-note results, course map, progress. */
@Component({
  selector: 'xy-tutor-page',
  imports: [
    TokenSrc,
    FormsModule,
    DatePipe,
    DecimalPipe,
    PercentPipe,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ErrorState,
    LoadingState,
    ProgressChart,
    StaffView,
    TapPad,
    TutorSchedulerPanel,
  ],
  providers: [TutorStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './tutor.page.html',
  styleUrl: './tutor.page.scss',
})
export class TutorPage implements OnDestroy {
  protected readonly store = inject(TutorStore);
  protected readonly isAdmin = inject(AuthStore).isAdmin;
  protected readonly plan = this.store.plan.value;
  protected readonly map = this.store.courseMap.value;
  protected readonly progress = this.store.progress.value;
  protected readonly exercise = this.store.exercise;
  protected readonly result = this.store.result;
  /** Said by screen readers when a result arrives (the region is in the page before it, so the change is announced). */
  protected readonly resultAnnouncement = computed(() => {
    const r = this.result();
    return r ? `Score ${r.score} of 100${r.correct ? ', well done' : ''}. ${r.nextStep.reason}` : '';
  });

  /** Note names typed for a reading exercise. */
  protected readonly names = signal<string[]>([]);
  protected readonly recording = signal(false);
  protected readonly recorderProblem = signal<string | null>(null);
  protected readonly needle = signal<Needle | null>(null);
  protected readonly recorderStats = signal<RecorderStats | null>(null);
  protected readonly micSupported = MicRecorder.supported();
  private recorder?: MicRecorder;
  private liveFrames = 0;

  protected readonly verdictColour = verdictColour;
  protected readonly verdictLabel = verdictLabel;
  protected readonly noteName = noteName;

  protected readonly patternBeats = computed(() => (this.exercise()?.notation?.staff.notes ?? []).reduce((n, note) => n + note.beats, 0));
  /** Per pitched note of the exercise's staff: the verdict of the last recording (for colouring the staff). */
  protected readonly staffVerdicts = computed(() => this.result()?.assessment?.notes.map((n) => n.verdict) ?? []);
  protected readonly needleOffset = computed(() => {
    const cents = this.needle()?.cents ?? 0;
    return `${50 + Math.max(-50, Math.min(50, cents))}%`;
  });

  /** The result on a piano roll: reference notes coloured by verdict, the notes heard drawn over them. */
  protected readonly roll = computed(() => {
    const melody = this.exercise()?.melody;
    const result = this.result();
    if (!melody?.length || !result?.assessment) return null;
    const heard = result.detected ?? [];
    const pitches = [...melody.map((n) => n.pitch), ...heard.map((n) => n.pitch)];
    const low = Math.floor(Math.min(...pitches)) - 2;
    const high = Math.ceil(Math.max(...pitches)) + 2;
    const end = Math.max(...melody.map((n) => n.start + n.duration), ...heard.map((n) => n.start + n.duration)) + 0.2;
    const x = (t: number) => Math.max(0, (t / end) * 100);
    const y = (p: number) => ((high - p) / (high - low)) * ROLL_HEIGHT;
    const row = ROLL_HEIGHT / (high - low);
    return {
      height: ROLL_HEIGHT,
      reference: melody.map((n, i) => ({
        x: x(n.start),
        w: Math.max(0.5, x(n.duration)),
        y: y(n.pitch) - row / 2,
        h: row,
        colour: verdictColour(result.assessment!.notes[i]?.verdict),
      })),
      heard: heard.map((n) => ({ x1: x(n.start), x2: x(n.start + n.duration), y: y(n.pitch) })),
    };
  });

  constructor() {
    this.store.start();
    const linked = inject(ActivatedRoute).snapshot.queryParamMap.get('exercise');
    if (linked) this.store.open(linked);
    this.moveFocusWithTheExercise();
  }

  /**
   * A result takes the keyboard focus (its heading: Next and the details follow it); a new exercise takes it when the
   * focused control went away with the previous one (Next replaces the result), so nobody is left on the page's body.
   */
  private moveFocusWithTheExercise(): void {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const injector = inject(Injector);
    let shownResult = false;
    let shownExercise: string | undefined;
    effect(() => {
      const hasResult = this.result() !== null;
      const exerciseId = this.exercise()?.id;
      const newResult = hasResult && !shownResult;
      const newExercise = exerciseId !== undefined && exerciseId !== shownExercise && !hasResult;
      shownResult = hasResult;
      shownExercise = exerciseId;
      if (!newResult && !newExercise) return;
      untracked(() =>
        afterNextRender(
          () => {
            const focused = document.activeElement;
            const lost = !focused || focused === document.body || !host.contains(focused);
            if (newResult) host.querySelector<HTMLElement>('#result-title')?.focus();
            else if (lost) host.querySelector<HTMLElement>('#exercise-title')?.focus();
          },
          { injector },
        ),
      );
    });
  }

  ngOnDestroy(): void {
    this.recorder?.cancel();
  }

  /** A skill of the course map, or a plan entry: a review names its item, which is then the one practised. */
  protected practise(target?: SkillStatusDto | { skillId: string; itemId?: string }): void {
    // The buttons stay focusable while a request runs (disabledInteractive): a press then changes nothing.
    if (this.store.busy() !== null) return;
    this.reset();
    this.store.next(!target ? {} : 'id' in target ? { skillId: target.id } : target.itemId ? { itemId: target.itemId } : { skillId: target.skillId });
  }

  protected choose(choice: string): void {
    this.store.answer({ answer: choice });
  }

  protected setName(index: number, value: string): void {
    this.names.update((names) => Object.assign([...names], { [index]: value }));
  }

  protected submitNames(): void {
    const count = this.exercise()?.noteCount ?? 0;
    this.store.answer({ names: Array.from({ length: count }, (_, i) => (this.names()[i] ?? '').trim()) });
  }

  protected submitTaps(taps: number[]): void {
    this.store.answer({ taps });
  }

  protected async startRecording(): Promise<void> {
    // A click while the browser still asks for the microphone waits for that answer; none while a take is assessed.
    if (this.recorder || this.store.busy() !== null) return;
    this.recorderProblem.set(null);
    this.needle.set(null);
    this.liveFrames = 0;
    const recorder = new MicRecorder(
      (pitch) => this.showPitch(pitch),
      () => this.stopRecording(),
    );
    this.recorder = recorder;
    try {
      // False when cancelled while the browser asked (the exercise changed, or the page went away).
      if (await recorder.start()) this.recording.set(true);
    } catch (error: unknown) {
      recorder.cancel();
      if (this.recorder === recorder) this.recorder = undefined;
      this.recorderProblem.set(
        error instanceof Error && error.name === 'NotAllowedError' ? 'The microphone was not allowed.' : 'The microphone could not be opened.',
      );
    }
  }

  protected stopRecording(): void {
    this.finishRecording().catch(() => this.recorderProblem.set('The recording could not be finished.'));
  }

  private async finishRecording(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder || !this.recording()) return;
    this.recorder = undefined;
    this.recording.set(false);
    let take;
    try {
      take = await recorder.stop();
    } catch {
      this.recorderProblem.set('The recording could not be finished.');
      return;
    }
    this.recorderStats.set(take.stats);
    if (take.durationSec < 0.3) {
      this.recorderProblem.set('The recording is too short.');
      return;
    }
    this.store.submitRecording(take.wav);
  }

  private showPitch(pitch: LivePitch): void {
    this.liveFrames++;
    if (pitch.midi !== null) this.needle.set({ name: noteName(pitch.midi), cents: Math.round(100 * (pitch.midi - Math.round(pitch.midi))) });
    else this.needle.set(null);
    // Figures for the keep-up check, updated a few times a second rather than on every chunk.
    if (this.liveFrames % 8 === 0 && this.recorder) this.recorderStats.set(this.recorder.stats());
  }

  protected noteLine(exercise: ExerciseDto, verdict: NoteVerdictDto): string {
    const reference = exercise.melody?.[verdict.index];
    const name = reference ? noteName(reference.pitch) : '';
    const parts: string[] = [];
    if (verdict.pitchErrorCents !== undefined && verdict.verdict !== 'missed')
      parts.push(`${verdict.pitchErrorCents > 0 ? '+' : ''}${verdict.pitchErrorCents} cents`);
    if (verdict.onsetErrorMs !== undefined && verdict.verdict !== 'missed') parts.push(`${verdict.onsetErrorMs > 0 ? '+' : ''}${verdict.onsetErrorMs} ms`);
    if (verdict.verdict === 'wrong-pitch' && verdict.detectedPitch !== undefined) parts.unshift(`heard ${noteName(verdict.detectedPitch)}`);
    return `Note ${verdict.index + 1} (${name}): ${verdictLabel(verdict.verdict)}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
  }

  /** Mastery is the predicted success rate, which is well above zero before a first attempt: a skill not started shows none. */
  protected masteryPercent(skill: SkillStatusDto): number {
    return skill.attempts ? Math.round(skill.mastery * 100) : 0;
  }

  protected masteryLabel(skill: SkillStatusDto): string {
    const state = skill.mastered ? 'mastered' : skill.unlocked ? 'open' : 'locked';
    return `${skill.name}, level ${skill.level}: ${skill.attempts ? `${this.masteryPercent(skill)}% mastery` : 'not started'}, ${state}`;
  }

  private reset(): void {
    this.recorder?.cancel();
    this.recorder = undefined;
    this.recording.set(false);
    this.names.set([]);
    this.needle.set(null);
    this.recorderProblem.set(null);
  }
}
