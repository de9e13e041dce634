import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The server's version (server/package.json, one level above src/ and dist/), shown in the OpenAPI document and /api/system/info. */
export const APP_VERSION = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
