import { Observable } from 'rxjs';
import { StrictHttpResponse } from '../../api/strict-http-response';

/**
 * The body type a generated API function resolves to. Useful for operations whose schema the
 * spec declares inline (e.g. terminus' health answer), which get no named model.
 */
export type ApiResult<F> = F extends (...args: never[]) => Observable<StrictHttpResponse<infer R>> ? R : never;
