import { Directive, ElementRef, effect, inject, input } from '@angular/core';

/** The URL without its `access_token` parameter: what the element plays, whichever token rides along. */
function withoutToken(url: string): string {
  const parsed = new URL(url, 'http://origin.invalid');
  parsed.searchParams.delete('access_token');
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * The source of an `<audio>` whose URL carries the access token (`AuthStore.withAccessToken`), bound as
 * `[xyTokenSrc]="url"` instead of `[src]`. A renewed token (every few minutes, or a sign-in in another tab) does not
 * reload the element, which would stop the music and jump back to the start: it keeps the URL it loaded. Should the
 * server refuse that URL's token later on (a range request after it expired), the element loads the newest URL and
 * goes on from where it was, playing if it played.
 */
@Directive({
  selector: 'audio[xyTokenSrc]',
  host: { '(error)': 'reloadWithNewestToken()', '(play)': 'playing = true', '(pause)': 'playing = false', '(ended)': 'playing = false' },
})
export class TokenSrc {
  readonly xyTokenSrc = input.required<string>();
  private readonly audio = inject<ElementRef<HTMLAudioElement>>(ElementRef).nativeElement;
  private source?: string;
  protected playing = false;

  constructor() {
    effect(() => {
      const url = this.xyTokenSrc();
      const source = withoutToken(url);
      if (source === this.source) return;
      this.source = source;
      this.playing = false;
      this.audio.src = url;
    });
  }

  protected reloadWithNewestToken(): void {
    const newest = new URL(this.xyTokenSrc(), document.baseURI).href;
    // The element failed on the newest URL already: a real error, left for the element to show.
    if (this.audio.src === newest) return;
    const [position, resume] = [this.audio.currentTime, this.playing];
    this.audio.addEventListener(
      'loadedmetadata',
      () => {
        this.audio.currentTime = position;
        if (resume) this.audio.play().catch(() => undefined);
      },
      { once: true },
    );
    this.audio.src = newest;
  }
}
