import { ChangeDetectionStrategy, Component, ElementRef, afterRenderEffect, input, viewChild } from '@angular/core';
import { MusicNotesDto } from '../api/models';

const ROLE_COLOURS: Record<string, string> = { melody: '#e4572e', harmony: '#4c8bf5', bass: '#2e9e6a', drums: '#9a7fd1' };
const DRUM_LANE_PX = 28;

/** The piece as a piano roll on a canvas: time → x, pitch → y, one colour per role; a playhead follows the audio. */
@Component({
  selector: 'xy-piano-roll',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <canvas #canvas class="roll" role="img" [attr.aria-label]="label()"></canvas>
    <ul class="legend">
      @for (track of notes()?.tracks ?? []; track track.index) {
        <li><span class="swatch" [style.background]="colour(track.role)"></span>{{ track.name }}</li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
    }
    .roll {
      width: 100%;
      height: 240px;
      display: block;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-surface-container-lowest);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      list-style: none;
      padding: 0;
      margin: 8px 0 0;
      font: var(--mat-sys-body-small);
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 2px;
      margin-right: 6px;
    }
  `,
})
export class PianoRoll {
  readonly notes = input<MusicNotesDto | null | undefined>(null);
  /** Playback position in seconds (draws the playhead). */
  readonly position = input(0);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');

  constructor() {
    afterRenderEffect(() => this.draw(this.canvas().nativeElement, this.notes(), this.position()));
  }

  protected colour(role: string): string {
    return ROLE_COLOURS[role] ?? '#888';
  }

  protected label(): string {
    const n = this.notes();
    return n ? `Piano roll of ${n.notes.length} notes over ${Math.round(n.durationSec)} seconds` : 'Piano roll';
  }

  private draw(canvas: HTMLCanvasElement, data: MusicNotesDto | null | undefined, position: number): void {
    // Nothing to draw on a canvas without layout (hidden, or a DOM without rendering such as jsdom).
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!data || data.notes.length === 0) return;

    const roleOf = new Map(data.tracks.map((t) => [t.index, t.role]));
    const pitched = data.notes.filter((n) => n.channel !== 9);
    const drums = data.notes.filter((n) => n.channel === 9);
    const low = Math.min(...pitched.map((n) => n.pitch), 60) - 1;
    const high = Math.max(...pitched.map((n) => n.pitch), 72) + 1;
    const laneBottom = drums.length > 0 ? height - DRUM_LANE_PX : height;
    const xOf = (sec: number) => (sec / Math.max(1, data.durationSec)) * width;
    const rowHeight = laneBottom / (high - low + 1);

    // Octave lines at every C.
    ctx.strokeStyle = 'rgba(128,128,128,0.18)';
    for (let p = Math.ceil(low / 12) * 12; p <= high; p += 12) {
      const y = laneBottom - (p - low + 1) * rowHeight;
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
      ctx.stroke();
    }
    for (const n of pitched) {
      ctx.fillStyle = this.colour(roleOf.get(n.track) ?? '');
      ctx.globalAlpha = 0.35 + (n.velocity / 127) * 0.65;
      ctx.fillRect(xOf(n.startSec), laneBottom - (n.pitch - low + 1) * rowHeight, Math.max(1.5, xOf(n.durationSec)), Math.max(1.5, rowHeight - 0.5));
    }
    ctx.fillStyle = this.colour('drums');
    for (const n of drums) {
      ctx.globalAlpha = 0.3 + (n.velocity / 127) * 0.7;
      const y = laneBottom + 4 + ((n.pitch % 6) / 6) * (DRUM_LANE_PX - 8);
      ctx.fillRect(xOf(n.startSec), y, 2, 3);
    }
    ctx.globalAlpha = 1;
    if (position > 0) {
      ctx.strokeStyle = '#d00';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(xOf(position), 0);
      ctx.lineTo(xOf(position), height);
      ctx.stroke();
    }
  }
}
