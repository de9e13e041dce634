import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemException } from '../core/errors/problem';
import type { StoredFile } from './multimodal.storage';

/** Streams a stored file; express's sendFile answers Range requests with 206 + Content-Range (seeking in <audio>). */
export function sendStoredFile(res: Response, file: StoredFile, filename: string, attachment = false): Promise<void> {
  return new Promise((resolve, reject) => {
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `${attachment ? 'attachment' : 'inline'}; filename="${filename}"`);
    res.sendFile(
      file.path,
      { acceptRanges: true, cacheControl: false, headers: { 'Cache-Control': 'private, max-age=86400' } },
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
