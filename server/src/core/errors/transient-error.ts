/** Node socket errors that mean "the other side went away", not "the request was wrong". */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTCONN']);

/**
 * PostgreSQL SQLSTATEs of a lost or refused connection (class 08), an administrator's or crash shutdown
 * (57P01–57P03), and conflicts a retry resolves (serialization failure, deadlock).
 */
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|40001|40P01)$/;

/** Messages of drivers that do not set a code (node-postgres, ioredis) when their connection drops. */
const TRANSIENT_MESSAGE =
  /Connection terminated|terminating connection due to administrator command|Client has encountered a connection error|connection is closed|Connection is closed|Stream isn't writeable|timeout exceeded when trying to connect|read ECONNRESET/i;

/**
 * A failure of a dependency (PostgreSQL, Redis, a socket) that may well succeed when tried again: answered as 503 with
 * Retry-After, and retried when it fails a job. Walks `cause` chains (Kysely and BullMQ wrap driver errors).
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
  return isTransientError(cause, depth + 1);
}
