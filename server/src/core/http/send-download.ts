import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemException } from '../errors/problem';

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
 * unsatisfiable range becomes a 416 problem that tells the real length (RFC 9110 §15.5.17).
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
      { acceptRanges: true, cacheControl: false, headers: { 'Cache-Control': `private, max-age=${options.maxAgeSec ?? 86_400}` } },
      (error?: Error & { status?: number; headers?: Record<string, string> }) => {
        if (!error || res.headersSent) return resolve();
        if (error.status === HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE) {
          if (error.headers?.['Content-Range']) res.setHeader('Content-Range', error.headers['Content-Range']);
          return reject(new ProblemException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, 'The requested byte range is outside the file.'));
        }
        reject(error);
      },
    );
  });
}
