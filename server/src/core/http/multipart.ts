import { CallHandler, createParamDecorator, ExecutionContext, HttpStatus, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { FieldError, ProblemException } from '../errors/problem';

/** What a multipart/form-data route accepts: each file field and text field with the most bytes it may carry. */
export interface MultipartLimits {
  files: Record<string, number>;
  fields: Record<string, number>;
}

export interface UploadedFile {
  field: string;
  filename: string;
  /** The Content-Type the client declared; never trusted for what the bytes are. */
  declaredType: string;
  bytes: Buffer;
}

export interface MultipartForm {
  files: Partial<Record<string, UploadedFile>>;
  fields: Partial<Record<string, string>>;
}

/** Room for part headers and boundaries on top of the parts' own limits. */
const OVERHEAD_PER_PART = 16 * 1024;

const REQUEST_KEY = 'multipartForm';

/**
 * Reads a multipart/form-data request into memory within `limits`, enforced while the body streams in: a part over its
 * limit is dropped (413 naming the field), and a body larger than all limits together is cut off at once and its
 * connection closed, so an abusive upload never gets buffered. Unknown or repeated fields are 400, a body that is not
 * multipart is 415; every problem names its field.
 */
export function readMultipart(request: Request, limits: MultipartLimits): Promise<MultipartForm> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    return Promise.reject(
      new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'The request body must be multipart/form-data.', {
        errors: [{ field: 'body', message: `Content-Type is ${contentType || 'missing'}; send multipart/form-data` }],
      }),
    );
  }
  const partCount = Object.keys(limits.files).length + Object.keys(limits.fields).length;
  const bodyCap = [...Object.values(limits.files), ...Object.values(limits.fields)].reduce((a, b) => a + b, 0) + OVERHEAD_PER_PART * (partCount + 1);
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > bodyCap) {
    closeAfterAnswer(request);
    return Promise.reject(tooLargeBody(bodyCap));
  }

  return new Promise<MultipartForm>((resolve, reject) => {
    const form: MultipartForm = { files: {}, fields: {} };
    const problems: { status: HttpStatus; error: FieldError }[] = [];
    const problem = (status: HttpStatus, field: string, message: string) => problems.push({ status, error: { field, message } });
    const expected = [...Object.keys(limits.files), ...Object.keys(limits.fields)].join(', ');
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: Math.max(0, ...Object.values(limits.files)) + 1,
          fieldSize: Math.max(0, ...Object.values(limits.fields)) + 1,
          files: Object.keys(limits.files).length + 1,
          fields: Object.keys(limits.fields).length + Object.keys(limits.files).length + 1,
          parts: partCount + 2,
          fieldNameSize: 100,
          headerPairs: 20,
        },
      });
    } catch (error) {
      return reject(
        new ProblemException(HttpStatus.BAD_REQUEST, `The multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}.`, {
          errors: [{ field: 'body', message: 'malformed multipart/form-data' }],
        }),
      );
    }

    parser.on('file', (field, stream, info) => {
      const limit = limits.files[field];
      const discard = (status: HttpStatus, message: string) => {
        problem(status, field, message);
        stream.resume();
      };
      if (limit === undefined) return discard(HttpStatus.BAD_REQUEST, `${field} is not a field of this form; expected ${expected}`);
      if (form.files[field]) return discard(HttpStatus.BAD_REQUEST, `${field} was sent more than once`);
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      stream.on('data', (chunk: Buffer) => {
        if (over) return;
        size += chunk.length;
        if (size > limit) {
          over = true;
          chunks.length = 0;
          problem(HttpStatus.PAYLOAD_TOO_LARGE, field, `${field} is larger than ${describeBytes(limit)}`);
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (!over) form.files[field] = { field, filename: info.filename ?? '', declaredType: info.mimeType, bytes: Buffer.concat(chunks, size) };
      });
    });

    parser.on('field', (field, value, info) => {
      const limit = limits.fields[field];
      if (limit === undefined) {
        const hint = limits.files[field] !== undefined ? `${field} must be sent as a file` : `${field} is not a field of this form; expected ${expected}`;
        return problem(HttpStatus.BAD_REQUEST, field, hint);
      }
      if (form.fields[field] !== undefined) return problem(HttpStatus.BAD_REQUEST, field, `${field} was sent more than once`);
      if (info.valueTruncated || Buffer.byteLength(value) > limit)
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, field, `${field} is longer than the form allows`);
      form.fields[field] = value;
    });

    const tooManyParts = () => problem(HttpStatus.PAYLOAD_TOO_LARGE, 'body', `the form has more parts than its fields (${expected})`);
    parser.on('partsLimit', tooManyParts);
    parser.on('filesLimit', tooManyParts);
    parser.on('fieldsLimit', tooManyParts);

    parser.on('error', (error: Error) =>
      finish(() => {
        request.unpipe(parser);
        request.resume();
        reject(
          new ProblemException(HttpStatus.BAD_REQUEST, `The multipart body cannot be read: ${error.message}.`, {
            errors: [{ field: 'body', message: 'malformed multipart/form-data' }],
          }),
        );
      }),
    );
    parser.on('close', () =>
      finish(() => {
        if (problems.length === 0) return resolve(form);
        // The most serious status wins (413 over 415 over 400); every field at fault is listed.
        const status = Math.max(...problems.map((p) => p.status));
        const errors = problems.map((p) => p.error);
        reject(new ProblemException(status, errors.map((e) => `${e.message}.`).join(' '), { errors }));
      }),
    );

    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > bodyCap && !settled) {
        finish(() => {
          request.unpipe(parser);
          request.resume();
          closeAfterAnswer(request);
          reject(tooLargeBody(bodyCap));
        });
      }
    });
    request.on('aborted', () =>
      finish(() => reject(new ProblemException(HttpStatus.BAD_REQUEST, 'The upload was interrupted.', { errors: [{ field: 'body', message: 'incomplete' }] }))),
    );
    request.pipe(parser);
  });
}

/** Nest side: `@UseMultipart(limits)` on a route reads the form (after the guards), `@MultipartBody()` hands it over. */
export const UseMultipart = (limits: MultipartLimits) => UseInterceptors(new MultipartInterceptor(limits));

export const MultipartBody = createParamDecorator((_: unknown, context: ExecutionContext): MultipartForm => {
  const form = context.switchToHttp().getRequest<Request & { [REQUEST_KEY]?: MultipartForm }>()[REQUEST_KEY];
  if (!form) throw new Error('@MultipartBody() needs @UseMultipart() on the route');
  return form;
});

@Injectable()
export class MultipartInterceptor implements NestInterceptor {
  constructor(private readonly limits: MultipartLimits) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { [REQUEST_KEY]?: MultipartForm }>();
    request[REQUEST_KEY] = await readMultipart(request, this.limits);
    return next.handle();
  }
}

function tooLargeBody(cap: number): ProblemException {
  return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, `The request body is larger than this form allows (${describeBytes(cap)}).`, {
    errors: [{ field: 'body', message: `larger than ${describeBytes(cap)}` }],
  });
}

/** The rest of an oversized body is not read: the connection closes once the answer is sent. */
function closeAfterAnswer(request: Request): void {
  if (request.res && !request.res.headersSent) request.res.setHeader('Connection', 'close');
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
