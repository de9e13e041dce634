import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { planFromEmotion } from '../engine';
import { integratedLoudness } from '../engine/audio/loudness';
import { AudioRenderPool } from '../engine/audio/render-pool';
import { bundledSoundFontPath } from '../engine/audio/soundfont';
import { decodeWav, encodeWav } from '../engine/audio/wav';
import { CircuitOpenError } from './circuit-breaker';
import { HttpMusicProvider, MusicProviderError } from './http-music.provider';
import type { MusicProviderRequest } from './music-provider';

// Worker start-up and whole-file DSP are slow on a busy CI machine; this is a hang guard, not a speed check.
jest.setTimeout(60_000);

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A 2 s quiet stereo tone as a provider would send it. */
function toneWav(): Buffer {
  const n = 44100 * 2;
  const left = new Float32Array(n).map((_, i) => 0.05 * Math.sin((2 * Math.PI * 440 * i) / 44100));
  return Buffer.from(encodeWav({ sampleRate: 44100, left, right: left.slice() }));
}

describe('HttpMusicProvider against a local HTTP server', () => {
  let server: Server;
  let url = '';
  let handler: Handler;
  let requests: { headers: IncomingMessage['headers']; body: string }[] = [];
  const pool = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 1, timeoutMs: 60_000 });
  const renderer = {
    master: (pcm: Parameters<AudioRenderPool['master']>[0], onStage?: Parameters<AudioRenderPool['master']>[1]['onStage']) =>
      pool.master(pcm, { compressed: true, onStage }),
  };
  const request = (): MusicProviderRequest => ({
    plan: planFromEmotion({ valence: 0.5, arousal: 0.5, label: 'happy' }, 10),
    seed: 7,
    durationSec: 10,
    prompt: 'happy pop instrumental',
    onStage: () => undefined,
  });
  const provider = (options: Partial<ConstructorParameters<typeof HttpMusicProvider>[0]> = {}) =>
    new HttpMusicProvider({ name: 'neural', url, timeoutMs: 2_000, ...options }, renderer);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        handler(req, body, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/generate`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.close();
  });
  beforeEach(() => (requests = []));

  it('posts the plan as JSON with the API key and masters the returned WAV to -16 LUFS', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'Content-Type': 'audio/wav' }).end(toneWav());
    const music = await provider({ apiKey: 'secret-key' }).generate(request());
    expect(requests[0].headers.authorization).toBe('Bearer secret-key');
    expect(JSON.parse(requests[0].body)).toMatchObject({ prompt: 'happy pop instrumental', durationSec: 10, seed: 7, emotion: 'happy' });
    expect(music.mastering.outputLufs).toBeCloseTo(-16, 0);
    expect(integratedLoudness(decodeWav(music.wav))).toBeCloseTo(-16, 0);
    expect(music.mp3?.length).toBeGreaterThan(1000);
    expect(music.midi).toBeUndefined();
  });

  it('accepts JSON with base64 audio', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ audio: toneWav().toString('base64') }));
    const music = await provider().generate(request());
    expect(music.durationSec).toBeCloseTo(2, 1);
  });

  it('gives up after its timeout', async () => {
    handler = () => undefined; // never answers
    await expect(provider({ timeoutMs: 150 }).generate(request())).rejects.toThrow(/timed out after 150 ms/);
  });

  it('fails on HTTP 500', async () => {
    handler = (_req, _body, res) => res.writeHead(500).end('overloaded');
    await expect(provider().generate(request())).rejects.toThrow(new MusicProviderError('neural answered HTTP 500'));
  });

  it.each([
    ['an HTML page', 'text/html', '<html>oops</html>', /text\/html, not audio\/wav/],
    ['junk labelled audio/wav', 'audio/wav', 'definitely not a wave file', /not a usable WAV/],
    ['JSON without audio', 'application/json', '{"status":"ok"}', /no "audio"/],
    ['broken JSON', 'application/json', '{"audio":', /invalid JSON/],
  ])('fails on garbage: %s', async (_name, type, body, message) => {
    handler = (_req, _body, res) => res.writeHead(200, { 'Content-Type': type }).end(body);
    await expect(provider().generate(request())).rejects.toThrow(message);
  });

  it('stops reading a body without a Content-Length once it passes the size limit (it never holds it all)', async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    let written = 0;
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'audio/wav' });
      const more = () => {
        while (written < 300 && !res.destroyed) {
          written += 1;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    };
    await expect(provider({ timeoutMs: 30_000 }).generate(request())).rejects.toThrow(/too much audio/);
    expect(written).toBeLessThan(200);
  });

  it('opens its circuit after repeated failures and stops calling the server', async () => {
    handler = (_req, _body, res) => res.writeHead(503).end();
    const flaky = provider({ failureThreshold: 2, resetAfterMs: 60_000 });
    await expect(flaky.generate(request())).rejects.toThrow(/503/);
    await expect(flaky.generate(request())).rejects.toThrow(/503/);
    expect(flaky.breaker.state).toBe('open');
    await expect(flaky.generate(request())).rejects.toBeInstanceOf(CircuitOpenError);
    expect(requests).toHaveLength(2);
  });

  it('is skipped when no URL is configured', () => {
    expect(provider({ url: undefined }).isConfigured()).toBe(false);
  });
});
