import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemException } from '../errors/problem';

/** What a refused file request means to the client (the statuses express's `send` answers for the client's part). */
const CLIENT_FILE_ERRORS: Record<number, string> = {
  [HttpStatus.NOT_FOUND]: 'The file is no longer there (it was deleted meanwhile).',
  [HttpStatus.PRECONDITION_FAILED]: "The file does not match the request's If-Match or If-Unmodified-Since.",
  [HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE]: 'The requested byte range is outside the file.',
};

/** Headers `send` sets for the file before it decides to refuse the request. */
const FILE_HEADERS = ['Content-Disposition', 'Cache-Control', 'ETag', 'Last-Modified', 'Accept-Ranges', 'Content-Range'];

/** A file a controller sends: stored on disk (`path`) or held in memory (`bytes`). */
export interface Download {
  path?: string;
  bytes?: Uint8Array;
  contentType: string;
  filename: string;
}

/**
 * Sends a download, inline or as an attachment. Bytes go as they are (not cached); a stored file goes through
 * express's sendFile, which answers Range requests with 206 + Content-Range (seeking in <audio>), and an
 * unsatisfiable range becomes a 416 problem that tells the real length (RFC 9110 §15.5.17), a failed precondition
 * (If-Match, If-Unmodified-Since) a 412 and a file deleted meanwhile a 404.
 */
export function sendDownload(res: Response, file: Download, options: { attachment?: boolean; maxAgeSec?: number } = {}): Promise<void> {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `${options.attachment ? 'attachment' : 'inline'}; filename="${file.filename}"`);
  if (file.bytes) {
    res.setHeader('Cache-Control', 'private, no-cache');
    res.end(Buffer.from(file.bytes));
    return Promise.resolve();
  }
  const path = file.path;
  if (!path) return Promise.reject(new Error(`Download ${file.filename} has neither a path nor bytes`));
  return new Promise((resolve, reject) => {
    res.sendFile(
      path,
      // The path is the server's own (a storage directory may well start with a dot).
      { acceptRanges: true, cacheControl: false, dotfiles: 'allow', headers: { 'Cache-Control': `private, max-age=${options.maxAgeSec ?? 86_400}` } },
      (error?: Error & { status?: number; headers?: Record<string, string> }) => {
        if (!error || res.headersSent) return resolve();
        const problem = CLIENT_FILE_ERRORS[error.status ?? 0];
        if (!problem) return reject(error);
        // The answer is a problem, not the file: none of the file's headers go with it.
        for (const header of FILE_HEADERS) res.removeHeader(header);
        if (error.status === HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE && error.headers?.['Content-Range']) {
          res.setHeader('Content-Range', error.headers['Content-Range']);
        }
        reject(new ProblemException(error.status!, problem));
      },
    );
  });
}
