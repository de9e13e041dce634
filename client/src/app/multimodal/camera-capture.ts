import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, afterNextRender, inject, output, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** The camera's live picture and a Snapshot button that hands over a JPEG; the camera is released when done. */
@Component({
  selector: 'xy-camera-capture',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (on()) {
      <video #video class="preview" autoplay playsinline muted aria-label="Camera preview"></video>
      <div class="actions">
        <button #snapButton mat-flat-button type="button" (click)="snap()" data-testid="snapshot"><mat-icon>photo_camera</mat-icon> Take snapshot</button>
        <button mat-button type="button" (click)="close()">Close camera</button>
      </div>
    } @else {
      <button #cameraButton mat-stroked-button type="button" (click)="start()" [disabled]="starting()" disabledInteractive data-testid="camera">
        <mat-icon>videocam</mat-icon> Use the camera
      </button>
    }
    @if (problem(); as message) {
      <p class="problem" role="alert">{{ message }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .preview {
      display: block;
      max-width: 100%;
      max-height: 320px;
      border-radius: var(--mat-sys-corner-small);
      background: #000;
    }
    .actions {
      display: flex;
      gap: 8px;
      margin-top: 8px;
    }
    .problem {
      color: var(--mat-sys-error);
    }
  `,
})
export class CameraCapture {
  readonly snapshot = output<Blob>();

  protected readonly on = signal(false);
  protected readonly problem = signal<string | null>(null);
  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');
  private readonly snapButton = viewChild<ElementRef<HTMLButtonElement>>('snapButton');
  private readonly cameraButton = viewChild<ElementRef<HTMLButtonElement>>('cameraButton');
  private readonly injector = inject(Injector);
  private stream: MediaStream | null = null;
  /** While the browser asks the user for the camera: a second click waits for that answer. */
  protected readonly starting = signal(false);
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.stop();
    });
  }

  protected async start(): Promise<void> {
    if (this.starting() || this.stream) return;
    this.problem.set(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      this.problem.set('This browser cannot use a camera here (it needs a secure https:// page). Upload a picture instead.');
      return;
    }
    this.starting.set(true);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 } }, audio: false });
      // Left (or stopped) while the permission prompt was open: the camera must not stay on.
      if (this.destroyed) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      this.stream = stream;
      this.on.set(true);
      // The <video> exists once the view has rendered the "on" state; the button that started it is gone, so the
      // keyboard focus goes on to Take snapshot.
      afterNextRender(
        () => {
          const element = this.video()?.nativeElement;
          if (element && this.stream) element.srcObject = this.stream;
          this.snapButton()?.nativeElement.focus();
        },
        { injector: this.injector },
      );
    } catch (error: unknown) {
      this.problem.set(error instanceof DOMException && error.name === 'NotAllowedError' ? 'The camera was not allowed.' : 'No camera could be opened.');
    } finally {
      this.starting.set(false);
    }
  }

  protected snap(): void {
    const element = this.video()?.nativeElement;
    if (!element || element.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = element.videoWidth;
    canvas.height = element.videoHeight;
    canvas.getContext('2d')?.drawImage(element, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (blob) this.snapshot.emit(blob);
        this.stop();
      },
      'image/jpeg',
      0.92,
    );
  }

  /** Close camera: its button goes with the preview, so the focus returns to Use the camera. */
  protected close(): void {
    this.stop();
    afterNextRender(() => this.cameraButton()?.nativeElement.focus(), { injector: this.injector });
  }

  protected stop(): void {
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.on.set(false);
  }
}
