import type { Operation } from './openapi-operations';
import type { RawResponse } from './http-client';
import { BAD_TOKENS, type RequestCase } from './request-cases';

/** What leaks from a server that lets an exception through: stack frames, source paths, driver messages. */
const LEAKS: [RegExp, string][] = [
  [/\bat [\w.<>$]+ \(?(?:\/|node:|file:)/, 'a stack frame'],
  [/\n\s+at /, 'a stack trace'],
  [/(?:\/work\/|\/home\/|\/usr\/src\/|node_modules|\/src\/[\w/-]+\.[jt]s)/, 'an internal path'],
  [/\.[jt]s:\d+:\d+/, 'a source location'],
  [/\b(?:TypeError|ReferenceError|SyntaxError|RangeError): /, 'a JavaScript error message'],
  [
    /(?:duplicate key value|violates (?:foreign key|not-null|check) constraint|syntax error at or near|invalid input syntax for|ECONNREFUSED|ERR_[A-Z_]{4,})/,
    'a driver message',
  ],
];

interface Problem {
  type?: unknown;
  title?: unknown;
  status?: unknown;
  detail?: unknown;
  errors?: { field?: unknown; message?: unknown }[];
}

const header = (response: RawResponse, name: string) => {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
};

const isTextual = (contentType: string) => /json|text|xml|html/.test(contentType) || contentType === '';

/** Each broken invariant, in words; empty when the answer is acceptable. */
export function violations(operation: Operation, sent: RequestCase, response: RawResponse): string[] {
  const out: string[] = [];
  const { status } = response;
  const contentType = header(response, 'content-type');

  if (status >= 500 && !(status === 503 && header(response, 'retry-after'))) out.push(`answered ${status}${status === 503 ? ' without Retry-After' : ''}`);

  if (isTextual(contentType)) {
    for (const [pattern, what] of LEAKS) if (pattern.test(response.text)) out.push(`the body shows ${what}: ${excerpt(response.text, pattern)}`);
  }

  let problem: Problem | undefined;
  if (status >= 400 && !operation.ownErrorBodies.has(status)) {
    if (!contentType.startsWith('application/problem+json'))
      out.push(`error ${status} is ${contentType || 'without a content type'}, not application/problem+json`);
    try {
      problem = JSON.parse(response.text) as Problem;
      if (problem.status !== status || typeof problem.title !== 'string' || typeof problem.detail !== 'string')
        out.push(`error ${status} is not a complete problem (status, title, detail)`);
      for (const error of problem.errors ?? []) {
        if (typeof error.field !== 'string' || !error.field || typeof error.message !== 'string') out.push('a field error without its field name or message');
      }
    } catch {
      out.push(`error ${status} has a body that is not JSON`);
    }
  }

  const secured = operation.secured;
  const badToken = BAD_TOKENS.includes(sent.token);
  if (secured && badToken && !sent.expect.beforeAuth && status !== 401) out.push(`a ${sent.token} token got ${status}, not 401`);
  if (secured && badToken && sent.expect.beforeAuth && status >= 200 && status < 300) out.push(`a ${sent.token} token got ${status}`);

  const authorised = !badToken || !secured;
  if (sent.expect.valid && authorised) {
    const fine = (status >= 200 && status < 300) || (status === 503 && !!header(response, 'retry-after'));
    const documented = operation.documented.has(status) && status !== 400 && status !== 422;
    const forUser = sent.token === 'user' && status === 403;
    const missingResource = operation.pathParams.length > 0 && status === 404;
    if (!fine && !documented && !forUser && !missingResource) out.push(`a valid request got ${status}${problem ? ` (${String(problem.detail)})` : ''}`);
    if (status === 400) out.push(`a valid request was refused as bad input${problem ? `: ${String(problem.detail)}` : ''}`);
  }

  if (sent.expect.mustReject && authorised && status >= 200 && status < 400) out.push(`an invalid request (${sent.kind}) was accepted with ${status}`);

  if (status === 400 && sent.expect.field && authorised && problem?.errors) {
    const field = sent.expect.field;
    const named = problem.errors.some(
      (e) => typeof e.field === 'string' && (e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`)),
    );
    if (!named) out.push(`the 400 does not name ${field} (names: ${problem.errors.map((e) => String(e.field)).join(', ') || 'none'})`);
  }
  if (status === 400 && sent.expect.field && authorised && problem && !problem.errors) out.push(`the 400 for ${sent.kind} names no field`);
  return out;
}

function excerpt(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  const at = match?.index ?? 0;
  return JSON.stringify(text.slice(Math.max(0, at - 40), at + 80));
}
