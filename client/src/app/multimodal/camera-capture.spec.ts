import { TestBed } from '@angular/core/testing';
import { settleFixture } from '../../testing/test-helpers';
import { CameraCapture } from './camera-capture';

/** getUserMedia that answers when told to, with a stream whose track records being stopped. */
function pendingCamera() {
  const track = { stop: vi.fn() };
  const stream = { getTracks: () => [track] } as unknown as MediaStream;
  let grant: (stream: MediaStream) => void = () => undefined;
  const getUserMedia = vi.fn(() => new Promise<MediaStream>((resolve) => (grant = resolve)));
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
  return { track, getUserMedia, grant: () => grant(stream) };
}

describe('CameraCapture', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('turns the camera off when the user leaves while the browser still asks for it', async () => {
    const camera = pendingCamera();
    const fixture = TestBed.createComponent(CameraCapture);
    fixture.detectChanges();
    const button = (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid="camera"]')!;
    button.click();
    button.click(); // a second click while asked does not ask again
    await settleFixture(fixture);
    expect(camera.getUserMedia).toHaveBeenCalledTimes(1);
    fixture.destroy();
    camera.grant();
    await Promise.resolve();
    await Promise.resolve();
    expect(camera.track.stop).toHaveBeenCalled();
  });
});
