import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import { fieldProblem, ProblemException } from '../errors/problem';
import { unstorableTextReason } from '../validation/unstorable-text';

/** Bytes a file must hold at `offset` (ASCII text or byte values); a rule passes when any of its signatures matches. */
export interface FileSignature {
  offset: number;
  bytes: string | readonly number[];
}

/** Magic numbers of the formats the platform accepts, for `MultipartFileRule.signatures`. */
export const FILE_SIGNATURES = {
  /** RIFF container of type WAVE. */
  wav: [
    { offset: 0, bytes: 'RIFF' },
    { offset: 8, bytes: 'WAVE' },
  ],
  png: [{ offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }],
  jpeg: [{ offset: 0, bytes: [0xff, 0xd8, 0xff] }],
} as const satisfies Record<string, readonly FileSignature[]>;

export interface MultipartFileRule {
  /** Larger files are refused with 413 while they stream in (the rest is never buffered). */
  maxBytes: number;
  required?: boolean;
  /** All of these must match (e.g. RIFF at 0 and WAVE at 8); checked as soon as enough bytes arrived. */
  signatures?: readonly FileSignature[];
  /** What the file must be, for error messages ("a WAV file"). */
  description: string;
}

export interface MultipartFieldRule {
  /** Longest value in bytes (413 beyond); default 64 KiB. */
  maxBytes?: number;
  required?: boolean;
}

/** The parts a form may carry; any other part is a 400 naming it. */
export interface MultipartSpec {
  files: Record<string, MultipartFileRule>;
  fields?: Record<string, MultipartFieldRule>;
}

export interface UploadedFile {
  field: string;
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

export interface MultipartForm {
  files: Record<string, UploadedFile | undefined>;
  fields: Record<string, string | undefined>;
}

const DEFAULT_FIELD_BYTES = 64 * 1024;
/** Room for each part's headers and boundary on top of its own limit. */
const PART_OVERHEAD_BYTES = 16 * 1024;

/** The spec's rule for a part name: its own entries only ("constructor" is not a part any request takes). */
const ownRule = <T>(rules: Record<string, T>, name: string): T | undefined => (Object.hasOwn(rules, name) ? rules[name] : undefined);

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function unstorableText(name: string, value: string): ProblemException | undefined {
  const reason = unstorableTextReason(value);
  return reason ? badField(HttpStatus.BAD_REQUEST, name, reason) : undefined;
}

/** The 400 for the first required part a form lacks, if any. */
function missingPart(form: MultipartForm, spec: MultipartSpec): ProblemException | undefined {
  for (const [name, rule] of Object.entries(spec.files)) {
    if (rule.required && !form.files[name]) return badField(HttpStatus.BAD_REQUEST, name, `is required (${rule.description})`);
  }
  for (const [name, rule] of Object.entries(spec.fields ?? {})) {
    if (rule.required && form.fields[name] === undefined) return badField(HttpStatus.BAD_REQUEST, name, 'is required');
  }
  return undefined;
}

const badField = (status: HttpStatus, field: string, message: string) => fieldProblem(field, `${field} ${message}`, { status });

/** 10485760 → "10 MB", 20000 → "19.5 KB". */
export function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function signatureBytes(signature: FileSignature): readonly number[] {
  return typeof signature.bytes === 'string' ? [...signature.bytes].map((c) => c.charCodeAt(0)) : signature.bytes;
}

/** Whether `head` (the file's first bytes) matches every signature; `undefined` while too few bytes arrived to tell. */
export function matchesSignatures(head: Uint8Array, signatures: readonly FileSignature[], complete: boolean): boolean | undefined {
  for (const signature of signatures) {
    const expected = signatureBytes(signature);
    if (head.length < signature.offset + expected.length) {
      if (!complete) return undefined;
      return false;
    }
    if (expected.some((b, i) => head[signature.offset + i] !== b)) return false;
  }
  return true;
}

/**
 * Reads a `multipart/form-data` request as it streams: each file part is checked against its size limit and magic
 * bytes while it arrives, so an oversized or mislabelled upload is refused without buffering it. Answers (as
 * problem+json, naming the part): 415 when the request is not multipart, 400 for a malformed body, an unknown, repeated
 * or missing part, or a file whose first bytes are not of its declared kind, 413 for a part over its limit. The body of
 * a refused request is drained (not buffered) so that the client still reads the answer.
 */
export function readMultipart(request: IncomingMessage, spec: MultipartSpec): Promise<MultipartForm> {
  const contentType = request.headers['content-type'] ?? '';
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  // A POST with nothing in it (what most HTTP clients send for an empty form) is an empty form: its missing parts are named.
  if (!hasBody && !contentType) {
    const empty: MultipartForm = { files: Object.create(null) as MultipartForm['files'], fields: Object.create(null) as MultipartForm['fields'] };
    const missing = missingPart(empty, spec);
    return missing ? Promise.reject(missing) : Promise.resolve(empty);
  }
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    return Promise.reject(badField(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'body', `is ${contentType || 'without a Content-Type'}; send multipart/form-data`));
  }
  const fieldRules = spec.fields ?? {};
  const fieldLimits = Object.values(fieldRules).map((r) => r.maxBytes ?? DEFAULT_FIELD_BYTES);
  const largestField = Math.max(DEFAULT_FIELD_BYTES, ...fieldLimits);
  const largestFile = Math.max(1, ...Object.values(spec.files).map((r) => r.maxBytes));
  // A body that declares more than every part could hold is refused before a byte is read, and its connection closed.
  const bodyCap =
    [...fieldLimits, ...Object.values(spec.files).map((r) => r.maxBytes)].reduce((a, b) => a + b, 0) + PART_OVERHEAD_BYTES * (fieldLimits.length + 5);
  if (Number(request.headers['content-length']) > bodyCap) {
    const { res } = request as IncomingMessage & { res?: ServerResponse };
    if (res && !res.headersSent) res.setHeader('Connection', 'close');
    return Promise.reject(badField(HttpStatus.PAYLOAD_TOO_LARGE, 'body', `is larger than this form allows (${describeSize(bodyCap)})`));
  }

  return new Promise<MultipartForm>((resolve, reject) => {
    // Without a prototype, a part named "constructor" or "toString" finds nothing already there.
    const form: MultipartForm = { files: Object.create(null) as MultipartForm['files'], fields: Object.create(null) as MultipartForm['fields'] };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          files: Object.keys(spec.files).length + 1,
          fields: Object.keys(fieldRules).length + 4,
          parts: Object.keys(spec.files).length + Object.keys(fieldRules).length + 4,
          fieldSize: largestField + 1,
          fileSize: largestFile + 1,
        },
      });
    } catch (error) {
      reject(badField(HttpStatus.BAD_REQUEST, 'body', `is not readable multipart/form-data: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    let settled = false;
    let pendingFiles = 0;
    let parserFinished = false;

    const fail = (error: ProblemException) => {
      if (settled) return;
      settled = true;
      request.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      // Discard the rest of the body so that the client, still sending, reads the answer instead of a reset.
      request.resume();
      reject(error);
    };
    const finish = () => {
      if (settled || !parserFinished || pendingFiles > 0) return;
      const missing = missingPart(form, spec);
      if (missing) return fail(missing);
      settled = true;
      resolve(form);
    };
    /** Takes a field's value, from a plain field or a file part whose name is a field's; false when it failed the request. */
    const acceptField = (name: string, rule: MultipartFieldRule, value: string, truncated: boolean): boolean => {
      const limit = rule.maxBytes ?? DEFAULT_FIELD_BYTES;
      const refusal =
        truncated || Buffer.byteLength(value) > limit
          ? badField(HttpStatus.PAYLOAD_TOO_LARGE, name, `is longer than ${describeSize(limit)}`)
          : form.fields[name] !== undefined
            ? badField(HttpStatus.BAD_REQUEST, name, 'was sent more than once')
            : unstorableText(name, value);
      if (refusal) {
        fail(refusal);
        return false;
      }
      form.fields[name] = value;
      return true;
    };

    const filesBegun = new Set<string>();
    parser.on('file', (name, stream, info) => {
      const rule = ownRule(spec.files, name);
      const asField = rule ? undefined : ownRule(fieldRules, name);
      if (asField) {
        // A text field sent as a file part (HTTP clients do, for a value given as bytes or with a filename): read as UTF-8.
        const limit = asField.maxBytes ?? DEFAULT_FIELD_BYTES;
        const chunks: Buffer[] = [];
        let size = 0;
        pendingFiles++;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= limit) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (settled) return;
          let value: string;
          try {
            value = UTF8.decode(Buffer.concat(chunks));
          } catch {
            return fail(badField(HttpStatus.BAD_REQUEST, name, 'is not UTF-8 text'));
          }
          if (!acceptField(name, asField, value, size > limit)) return;
          pendingFiles--;
          finish();
        });
        stream.on('error', () => fail(badField(HttpStatus.BAD_REQUEST, name, 'could not be read')));
        return;
      }
      if (!rule) {
        stream.resume();
        return fail(badField(HttpStatus.BAD_REQUEST, name, `is not a file this request accepts (expected: ${Object.keys(spec.files).join(', ')})`));
      }
      // Counted when the part begins, not when it has been read: a second part can begin before the first one ends.
      if (filesBegun.has(name)) {
        stream.resume();
        return fail(badField(HttpStatus.BAD_REQUEST, name, 'was sent more than once'));
      }
      filesBegun.add(name);
      pendingFiles++;
      const chunks: Buffer[] = [];
      let size = 0;
      let checked = !rule.signatures;
      const checkSignature = (complete: boolean): boolean => {
        if (checked) return true;
        const head = Buffer.concat(chunks, size);
        const match = matchesSignatures(head, rule.signatures ?? [], complete);
        if (match === undefined) return true;
        checked = true;
        if (!match) fail(badField(HttpStatus.BAD_REQUEST, name, `is not ${rule.description}`));
        return match;
      };
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > rule.maxBytes) {
          stream.resume();
          return fail(badField(HttpStatus.PAYLOAD_TOO_LARGE, name, `is larger than ${describeSize(rule.maxBytes)}`));
        }
        chunks.push(chunk);
        if (!checkSignature(false)) stream.resume();
      });
      stream.on('end', () => {
        if (settled) return;
        if (size === 0) return fail(badField(HttpStatus.BAD_REQUEST, name, `is empty (${rule.description})`));
        if (!checkSignature(true)) return;
        form.files[name] = { field: name, filename: info.filename ?? name, mimeType: info.mimeType, bytes: Buffer.concat(chunks, size) };
        pendingFiles--;
        finish();
      });
      stream.on('error', () => fail(badField(HttpStatus.BAD_REQUEST, name, 'could not be read')));
    });

    parser.on('field', (name, value, info) => {
      const rule = ownRule(fieldRules, name);
      if (!rule && ownRule(spec.files, name)) return fail(badField(HttpStatus.BAD_REQUEST, name, `must be sent as a file (${spec.files[name].description})`));
      if (!rule) return fail(badField(HttpStatus.BAD_REQUEST, name, `is not a field this request accepts (expected: ${Object.keys(fieldRules).join(', ')})`));
      acceptField(name, rule, value, info.valueTruncated);
    });
    parser.on('partsLimit', () => fail(badField(HttpStatus.BAD_REQUEST, 'body', 'has more parts than this request accepts')));
    parser.on('filesLimit', () => fail(badField(HttpStatus.BAD_REQUEST, 'body', 'has more files than this request accepts')));
    parser.on('fieldsLimit', () => fail(badField(HttpStatus.BAD_REQUEST, 'body', 'has more fields than this request accepts')));
    parser.on('error', (error: Error) => fail(badField(HttpStatus.BAD_REQUEST, 'body', `is not readable multipart/form-data: ${error.message}`)));
    parser.on('close', () => {
      parserFinished = true;
      finish();
    });
    request.on('aborted', () => fail(badField(HttpStatus.BAD_REQUEST, 'body', 'was interrupted before it ended')));
    request.pipe(parser);
  });
}
