import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { FILE_SIGNATURES, matchesSignatures, readMultipart, type MultipartSpec } from './multipart';
import { ProblemException } from '../errors/problem';

const BOUNDARY = 'test-boundary-42';
const SPEC: MultipartSpec = {
  files: { audio: { maxBytes: 1000, required: true, signatures: FILE_SIGNATURES.wav, description: 'a WAV file' } },
  fields: { reference: { required: true, maxBytes: 100 } },
};

type Part = { name: string; value: string | Buffer; filename?: string };

function body(parts: Part[]): Buffer {
  const chunks = parts.flatMap((p) => [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"\r\nContent-Type: audio/wav` : ''}\r\n\r\n`,
    ),
    Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** A request stream that sends `data` in small chunks; `sent()` tells how many bytes were pulled. */
function requestOf(data: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) {
  const stream = new PassThrough() as PassThrough & { headers: Record<string, string> };
  stream.headers = { 'content-type': contentType };
  let offset = 0;
  const push = () => {
    if (offset >= data.length) return stream.end();
    stream.write(data.subarray(offset, offset + 64));
    offset += 64;
    setImmediate(push);
  };
  setImmediate(push);
  return stream as unknown as IncomingMessage;
}

const wav = (size: number) => Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVEfmt '), Buffer.alloc(Math.max(0, size - 16), 1)]);

async function problemOf(promise: Promise<unknown>): Promise<{ status: number; detail: string; errors?: { field: string }[] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemException);
  const p = error as ProblemException;
  return { status: p.getStatus(), detail: p.message, errors: p.problem.errors };
}

describe('readMultipart', () => {
  it('returns the file bytes and fields', async () => {
    const file = wav(500);
    const form = await readMultipart(
      requestOf(
        body([
          { name: 'audio', value: file, filename: 'a.wav' },
          { name: 'reference', value: '{"notes":[]}' },
        ]),
      ),
      SPEC,
    );
    expect(form.files.audio?.bytes.equals(file)).toBe(true);
    expect(form.files.audio).toMatchObject({ field: 'audio', filename: 'a.wav', mimeType: 'audio/wav' });
    expect(form.fields.reference).toBe('{"notes":[]}');
  });

  it('reads a text field sent as a file part (as HTTP clients send bytes or a value with a filename) as UTF-8', async () => {
    const form = await readMultipart(
      requestOf(
        body([
          { name: 'audio', value: wav(500), filename: 'a.wav' },
          { name: 'reference', value: Buffer.from('\ufeff{"notes":[]} ♪', 'utf8'), filename: 'reference.json' },
        ]),
      ),
      SPEC,
    );
    expect(form.fields.reference).toBe('{"notes":[]} ♪');
    expect(form.files.reference).toBeUndefined();
    const latin1 = await problemOf(
      readMultipart(requestOf(body([{ name: 'reference', value: Buffer.from([0x63, 0x61, 0x66, 0xe9]), filename: 'r.txt' }])), SPEC),
    );
    expect(latin1).toMatchObject({ status: 400, errors: [{ field: 'reference', message: 'reference is not UTF-8 text' }] });
    const long = await problemOf(readMultipart(requestOf(body([{ name: 'reference', value: Buffer.alloc(500, 0x61), filename: 'r.txt' }])), SPEC));
    expect(long).toMatchObject({ status: 413, errors: [{ field: 'reference' }] });
  });

  it('reads a POST with no body and no Content-Type as an empty form: its required parts are named', async () => {
    const empty = new PassThrough() as PassThrough & { headers: Record<string, string> };
    empty.headers = {};
    expect(await problemOf(readMultipart(empty as unknown as IncomingMessage, SPEC))).toMatchObject({ status: 400, errors: [{ field: 'audio' }] });
    await expect(readMultipart(empty as unknown as IncomingMessage, { files: { audio: { maxBytes: 10, description: 'a WAV file' } } })).resolves.toEqual({
      files: {},
      fields: {},
    });
  });

  it('refuses a file over its limit with 413 naming it', async () => {
    const p = await problemOf(
      readMultipart(
        requestOf(
          body([
            { name: 'reference', value: 'x' },
            { name: 'audio', value: wav(5000), filename: 'a.wav' },
          ]),
        ),
        SPEC,
      ),
    );
    expect(p).toMatchObject({ status: 413, errors: [{ field: 'audio' }] });
  });

  it('refuses a file whose magic bytes are wrong with 400 naming it', async () => {
    const request = requestOf(body([{ name: 'audio', value: Buffer.concat([Buffer.from('ID3\x03 mp3 pretending'), Buffer.alloc(900)]), filename: 'a.wav' }]));
    const p = await problemOf(readMultipart(request, SPEC));
    expect(p).toMatchObject({ status: 400, errors: [{ field: 'audio' }] });
    expect(p.detail).toBe('audio is not a WAV file.');
  });

  it('names a missing required file or field, an unknown part, a repeated part and an over-long field', async () => {
    expect((await problemOf(readMultipart(requestOf(body([{ name: 'reference', value: 'x' }])), SPEC))).errors).toEqual([
      { field: 'audio', message: 'audio is required (a WAV file)' },
    ]);
    expect((await problemOf(readMultipart(requestOf(body([{ name: 'audio', value: wav(100), filename: 'a.wav' }])), SPEC))).errors?.[0].field).toBe(
      'reference',
    );
    const unknown = await problemOf(readMultipart(requestOf(body([{ name: 'image', value: wav(100), filename: 'a.png' }])), SPEC));
    expect(unknown).toMatchObject({ status: 400, errors: [{ field: 'image' }] });
    const repeated = await problemOf(
      readMultipart(
        requestOf(
          body([
            { name: 'reference', value: 'a' },
            { name: 'reference', value: 'b' },
            { name: 'audio', value: wav(100), filename: 'a.wav' },
          ]),
        ),
        SPEC,
      ),
    );
    expect(repeated.errors?.[0].field).toBe('reference');
    const long = await problemOf(readMultipart(requestOf(body([{ name: 'reference', value: 'x'.repeat(150) }])), SPEC));
    expect(long).toMatchObject({ status: 413, errors: [{ field: 'reference' }] });
  });

  it('refuses a file part sent twice, also when both arrive in one chunk (the second begins before the first ends)', async () => {
    const twice = body([
      { name: 'reference', value: 'x' },
      { name: 'audio', value: wav(100), filename: 'a.wav' },
      { name: 'audio', value: wav(100), filename: 'b.wav' },
    ]);
    const inOneChunk = new PassThrough() as PassThrough & { headers: Record<string, string> };
    inOneChunk.headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
    setImmediate(() => inOneChunk.end(twice));
    for (const request of [requestOf(twice), inOneChunk as unknown as IncomingMessage]) {
      expect(await problemOf(readMultipart(request, SPEC))).toMatchObject({
        status: 400,
        errors: [{ field: 'audio', message: 'audio was sent more than once' }],
      });
    }
  });

  it('refuses a field with text the database cannot store, naming it', async () => {
    const parts = [
      { name: 'reference', value: 'a\u0000b' },
      { name: 'audio', value: wav(100), filename: 'a.wav' },
    ];
    expect(await problemOf(readMultipart(requestOf(body(parts)), SPEC))).toMatchObject({
      status: 400,
      errors: [{ field: 'reference', message: 'reference contains a NUL character' }],
    });
  });

  it.each(['constructor', 'toString', '__proto__'])('reads a part named %s as a part the request does not take', async (name) => {
    const asField = await problemOf(readMultipart(requestOf(body([{ name, value: 'x' }])), SPEC));
    expect(asField.errors).toEqual([{ field: name, message: `${name} is not a field this request accepts (expected: reference)` }]);
    const asFile = await problemOf(readMultipart(requestOf(body([{ name, value: wav(100), filename: 'a.wav' }])), SPEC));
    expect(asFile.errors).toEqual([{ field: name, message: `${name} is not a file this request accepts (expected: audio)` }]);
  });

  it('answers 415 for a body that is not multipart and 400 for a malformed one', async () => {
    expect((await problemOf(readMultipart(requestOf(Buffer.from('{}'), 'application/json'), SPEC))).status).toBe(415);
    expect((await problemOf(readMultipart(requestOf(Buffer.from('garbage'), 'multipart/form-data'), SPEC))).status).toBe(400);
  });

  it('matches signatures only when enough bytes arrived', () => {
    expect(matchesSignatures(Buffer.from('RIFF'), FILE_SIGNATURES.wav, false)).toBeUndefined();
    expect(matchesSignatures(Buffer.from('RIFF'), FILE_SIGNATURES.wav, true)).toBe(false);
    expect(matchesSignatures(Buffer.from('RIFF1234WAVE'), FILE_SIGNATURES.wav, true)).toBe(true);
    expect(matchesSignatures(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), FILE_SIGNATURES.png, false)).toBe(true);
  });
});
