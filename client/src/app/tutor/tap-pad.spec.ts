import { ComponentFixture, TestBed } from '@angular/core/testing';
import { focusWithTab } from '../../testing/keyboard';
import { TapPad } from './tap-pad';

/** Just enough of Web Audio for the count-in: a clock the test moves, and nodes that record what was scheduled. */
class FakeAudioContext {
  static last: FakeAudioContext;
  currentTime = 10;
  clicks: number[] = [];
  destination = {};
  closed = false;
  constructor() {
    FakeAudioContext.last = this;
  }
  createOscillator() {
    return { frequency: { value: 0 }, connect: (n: unknown) => n, start: (at: number) => this.clicks.push(at), stop: () => undefined };
  }
  createGain() {
    return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: (n: unknown) => n };
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('TapPad', () => {
  let fixture: ComponentFixture<TapPad>;
  let el: HTMLElement;
  let emitted: number[][];

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('AudioContext', FakeAudioContext);
    fixture = TestBed.createComponent(TapPad);
    fixture.componentRef.setInput('bpm', 120);
    fixture.componentRef.setInput('countInBeats', 4);
    fixture.componentRef.setInput('patternBeats', 4);
    emitted = [];
    fixture.componentInstance.tapped.subscribe((taps) => emitted.push(taps));
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('schedules the count-in on the audio clock and times taps from the first click, from the keyboard', () => {
    el.querySelector<HTMLButtonElement>('button')!.click();
    fixture.detectChanges();
    const context = FakeAudioContext.last;
    expect(context.clicks.map((t) => +(t - 10).toFixed(3))).toEqual([0.3, 0.8, 1.3, 1.8]);

    const pad = el.querySelector<HTMLButtonElement>('.pad')!;
    focusWithTab(pad);
    for (const at of [12.3, 12.82]) {
      context.currentTime = at;
      pad.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', code: 'Space', bubbles: true }));
    }
    context.currentTime = 13.3;
    pad.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    fixture.detectChanges();
    expect(pad.textContent).toContain('3 taps');

    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.includes('Done'))!.click();
    expect(emitted).toEqual([[2, 2.52, 3]]);
    expect(context.closed).toBe(true);
  });

  it('moves the focus to the pad when the Start button it replaces goes away', () => {
    const startButton = el.querySelector<HTMLButtonElement>('button')!;
    focusWithTab(startButton);
    startButton.click();
    fixture.detectChanges();
    expect(document.activeElement).toBe(el.querySelector('.pad'));
  });

  it('closes by itself one beat after the pattern', () => {
    el.querySelector<HTMLButtonElement>('button')!.click();
    fixture.detectChanges();
    FakeAudioContext.last.currentTime = 12.31;
    el.querySelector<HTMLButtonElement>('.pad')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    // count-in 4 beats + pattern 4 + 1 at 0.5 s per beat, after 0.3 s.
    vi.advanceTimersByTime(300 + 9 * 500 + 1);
    expect(emitted).toEqual([[2.01]]);
  });
});
