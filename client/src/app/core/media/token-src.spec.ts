import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TokenSrc } from './token-src';

@Component({
  imports: [TokenSrc],
  template: `<audio [xyTokenSrc]="url()"></audio>`,
})
class Host {
  readonly url = signal('/api/music/generation/g1/audio?format=mp3&access_token=t1');
}

describe('TokenSrc', () => {
  function render() {
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const audio = (fixture.nativeElement as HTMLElement).querySelector('audio')!;
    const set = (url: string) => {
      fixture.componentInstance.url.set(url);
      fixture.detectChanges();
    };
    return { audio, set };
  }

  it('loads the URL it is given, and a new piece when the URL names another one', () => {
    const { audio, set } = render();
    expect(audio.src).toBe(new URL('/api/music/generation/g1/audio?format=mp3&access_token=t1', document.baseURI).href);
    set('/api/music/generation/g2/audio?format=mp3&access_token=t1');
    expect(audio.src).toContain('/g2/audio?format=mp3&access_token=t1');
  });

  it('keeps playing what it loaded when only the token changes', () => {
    const { audio, set } = render();
    set('/api/music/generation/g1/audio?format=mp3&access_token=t2');
    expect(audio.src).toContain('access_token=t1');
  });

  it('loads the newest token where it was when the server refuses the old one, and only then', () => {
    const { audio, set } = render();
    set('/api/music/generation/g1/audio?format=mp3&access_token=t2');
    Object.defineProperty(audio, 'currentTime', { value: 42, writable: true });
    audio.dispatchEvent(new Event('error'));
    expect(audio.src).toContain('access_token=t2');
    audio.dispatchEvent(new Event('loadedmetadata'));
    expect(audio.currentTime).toBe(42);
    // A failure on the newest URL is a real one: no reload loop.
    audio.currentTime = 0;
    audio.dispatchEvent(new Event('error'));
    audio.dispatchEvent(new Event('loadedmetadata'));
    expect(audio.currentTime).toBe(0);
  });
});
