import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { encodeWav } from '../../src/music/engine/audio/wav';
import { unstorableTextReason } from '../../src/core/validation/unstorable-text';
import type { Operation, Parameter, Schema } from './openapi-operations';
import { isFullyConstrained, oddString, outOfRange, validObject, validValue, variedExample, wrongType } from './schema-arbitraries';

export const TOKEN_KINDS = ['admin', 'user', 'none', 'forged', 'alg-none', 'garbage'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
/** Tokens that must never pass the auth guard. */
export const BAD_TOKENS: readonly TokenKind[] = ['none', 'forged', 'alg-none', 'garbage'];

export interface Expectation {
  /** A request the schema calls valid: it must succeed (2xx) or get a status the operation documents, never 400. */
  valid: boolean;
  /** Clearly invalid (wrong type, out of range, missing, unknown field, unparsable): must be a 4xx. */
  mustReject: boolean;
  /** A 400 must name this field (or a sub-field of it) in `errors`. */
  field?: string;
  /** Rejected before authentication (body parsing, routing), so a bad token need not be the reason. */
  beforeAuth: boolean;
}

export interface RequestCase {
  operation: string;
  kind: string;
  token: TokenKind;
  method: string;
  /** Path and query, exactly as sent (already percent-encoded). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  expect: Expectation;
}

type Shape = Omit<RequestCase, 'operation' | 'token' | 'method'>;

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD instead of throwing like encodeURIComponent). */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

type QueryEntry = [key: string, value: string, raw?: boolean];

function buildUrl(operation: Operation, pathValues: Record<string, string>, query: QueryEntry[], rawPath = false): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => (rawPath ? pathValues[name] : percentEncode(pathValues[name] ?? '')));
  const search = query.map(([key, value, raw]) => (raw ? `${key}=${value}` : `${percentEncode(key)}=${percentEncode(value)}`)).join('&');
  return search ? `${path}?${search}` : path;
}

const asText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
};
const asQueryValues = (value: unknown): string[] => (Array.isArray(value) ? value.map(asText) : value === undefined ? [] : [asText(value)]);

/** Valid path values: UUIDs seen in earlier answers (so deeper code runs) or fresh ones. */
function validPathValues(operation: Operation, knownIds: () => string[]): fc.Arbitrary<Record<string, string>> {
  const record: Record<string, fc.Arbitrary<string>> = {};
  for (const param of operation.pathParams) {
    const fresh = validValue(param.schema).map(String);
    record[param.name] =
      param.schema.format === 'uuid'
        ? fc.oneof(
            fresh,
            fc.nat().map((n) => knownIds()[n % Math.max(1, knownIds().length)] ?? '00000000-0000-4000-8000-000000000000'),
          )
        : fresh;
  }
  return fc.record(record);
}

function validQuery(operation: Operation): fc.Arbitrary<QueryEntry[]> {
  const parts = operation.queryParams
    .filter((param) => param.name !== 'access_token')
    .map((param) =>
      (param.required ? validValue(param.schema) : fc.option(validValue(param.schema), { nil: undefined })).map((value) =>
        asQueryValues(value).map((v): QueryEntry => [param.name, v]),
      ),
    );
  return parts.length ? fc.tuple(...parts).map((lists) => lists.flat()) : fc.constant([]);
}

const isMultipart = (operation: Operation) => operation.body?.contentType === 'multipart/form-data';
const isJson = (operation: Operation) => !!operation.body && /json/.test(operation.body.contentType);

function validJsonBody(operation: Operation): fc.Arbitrary<Record<string, unknown>> {
  const body = operation.body!;
  const examples = body.examples.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e));
  return examples.length ? fc.constantFrom(...examples).chain((example) => variedExample(example, body.schema)) : validObject(body.schema);
}

/**
 * Half a second of a 440 Hz tone that swells and fades twice, as 16-bit WAV: the one file every audio upload accepts
 * (a melody's notes for the tutor; for the voice recogniser, loudness that rises out of its floor as speech does).
 */
const SINE_WAV = (() => {
  const sampleRate = 22_050;
  const left = Float32Array.from({ length: sampleRate / 2 }, (_, i) => {
    const t = i / sampleRate;
    return 0.4 * (0.1 + 0.9 * Math.sin(Math.PI * 4 * t) ** 2) * Math.sin(2 * Math.PI * 440 * t);
  });
  return Buffer.from(encodeWav({ sampleRate, left, right: left }));
})();

interface FilePart {
  filename: string;
  contentType: string;
  data: Buffer;
}
type Part = [name: string, value: string | FilePart];

const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW';

export function multipartBody(parts: Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    if (typeof value === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.contentType}\r\n\r\n`,
        ),
      );
      chunks.push(value.data, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const fileProperties = (schema: Schema) =>
  Object.entries(schema.properties ?? {}).filter(([, p]) => p.format === 'binary' || (p.type === 'array' && p.items?.format === 'binary'));

/** A file field that takes audio (the one kind of file the suite can make valid): by its name or description. */
const isAudioField = (name: string, property: Schema) => /audio|wav|recording/i.test(`${name} ${property.description ?? ''}`);

function validMultipart(operation: Operation): fc.Arbitrary<Part[]> {
  const schema = operation.body!.schema;
  const files = fileProperties(schema);
  const required = new Set(schema.required ?? []);
  return validJsonBody(operation).map((fields) => [
    ...Object.entries(fields).flatMap(([name, value]) => asQueryValues(value).map((v): Part => [name, v])),
    ...files
      .filter(([name, property]) => required.has(name) || files.length === 1 || isAudioField(name, property))
      .map(([name]): Part => [name, { filename: 'fuzz.wav', contentType: 'audio/wav', data: SINE_WAV }]),
  ]);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function validShape(operation: Operation, knownIds: () => string[]): fc.Arbitrary<Shape> {
  const body: fc.Arbitrary<{ headers: Record<string, string>; body?: Buffer }> = isMultipart(operation)
    ? validMultipart(operation).map((parts) => ({ headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: multipartBody(parts) }))
    : isJson(operation)
      ? validJsonBody(operation).map((value) => ({ headers: JSON_HEADERS, body: Buffer.from(JSON.stringify(value)) }))
      : fc.constant({ headers: {} });
  return fc.tuple(validPathValues(operation, knownIds), validQuery(operation), body).map(([path, query, { headers, body }]) => ({
    kind: 'valid',
    url: buildUrl(operation, path, query),
    headers,
    body,
    expect: { valid: true, mustReject: false, beforeAuth: false },
  }));
}

interface Mutation {
  kind: string;
  mustReject: boolean;
  field?: string;
  beforeAuth?: boolean;
}

const reject = (kind: string, field?: string): Mutation => ({ kind, mustReject: true, field });

/** Does a string value for this schema have to be refused? */
function stringMustBeRejected(schema: Schema, value: string): boolean {
  if (unstorableTextReason(value)) return true;
  if (schema.enum?.length) return !schema.enum.includes(value);
  if (['uuid', 'email', 'date-time'].includes(schema.format ?? '') || schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean')
    return true;
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) return true;
  return false;
}

/** Mutations of one body field: wrong type, out of range, odd strings, operator objects, null. */
function bodyFieldMutations(name: string, schema: Schema, required: boolean): fc.Arbitrary<[unknown, Mutation]>[] {
  const out: fc.Arbitrary<[unknown, Mutation]>[] = [];
  const wrong = wrongType(schema);
  if (wrong) out.push(wrong.map((v) => [v, reject(`body:wrong-type:${name}`, name)]));
  const range = outOfRange(schema);
  if (range) out.push(range.map((v) => [v, reject(`body:out-of-range:${name}`, name)]));
  if (schema.type === 'string' || schema.type === undefined) {
    out.push(
      oddString().map((v) => [v, { kind: `body:odd-string:${name}`, mustReject: schema.type === 'string' && stringMustBeRejected(schema, v), field: name }]),
    );
  }
  if (schema.type !== 'object')
    out.push(
      fc
        .constantFrom<unknown>({ $gt: '' }, { $where: 'sleep(1)' }, JSON.parse('{"__proto__":{"role":"admin"}}'))
        .map((v) => [v, reject(`body:operator:${name}`, name)]),
    );
  out.push(fc.constant<[unknown, Mutation]>([null, { kind: `body:null:${name}`, mustReject: required, field: name }]));
  return out;
}

/** Stands for a deeply nested array, spliced into the JSON text (JSON.stringify itself would overflow the stack). */
const DEEP_PLACEHOLDER = '\u0001deep\u0001';

interface BodyMutation {
  body: unknown;
  text?: (json: string) => string;
  mutation: Mutation;
}

function jsonBodyMutations(operation: Operation): fc.Arbitrary<BodyMutation>[] {
  const schema = operation.body!.schema;
  const base = validJsonBody(operation);
  const required = new Set(schema.required ?? []);
  const out: fc.Arbitrary<BodyMutation>[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    for (const arbitrary of bodyFieldMutations(name, property, required.has(name))) {
      out.push(fc.tuple(base, arbitrary).map(([body, [value, mutation]]) => ({ body: { ...body, [name]: value }, mutation })));
    }
    if (required.has(name)) {
      out.push(
        base.map((body) => ({
          body: Object.fromEntries(Object.entries(body).filter(([key]) => key !== name)),
          mutation: reject(`body:missing:${name}`, name),
        })),
      );
    }
  }
  if (!schema.additionalProperties) {
    out.push(
      fc
        .tuple(base, fc.constantFrom('isAdmin', 'role', 'constructor', 'zz\u202e', '$where'), fc.oneof(fc.boolean(), oddString()))
        .map(([body, key, value]) => ({
          body: { ...body, [key]: value },
          mutation: reject(`body:extra-field`, key),
        })),
    );
  }
  // JSON texts that are not objects: primitives fail the strict JSON parser (before authentication), arrays reach validation
  out.push(fc.constantFrom<unknown>('text', 1, null, true).map((body) => ({ body, mutation: { kind: 'body:primitive', mustReject: true, beforeAuth: true } })));
  out.push(fc.constantFrom<unknown>([], [{}]).map((body) => ({ body, mutation: { kind: 'body:array', mustReject: required.size > 0 } })));

  out.push(
    fc.tuple(base, fc.constantFrom(500, 5_000)).map(([body, depth]) => ({
      body: { ...body, [Object.keys(schema.properties ?? {})[0] ?? 'deep']: DEEP_PLACEHOLDER },
      text: (text: string) => text.replace(JSON.stringify(DEEP_PLACEHOLDER), '['.repeat(depth) + ']'.repeat(depth)),
      mutation: { kind: 'body:deep-nesting', mustReject: true },
    })),
  );
  return out;
}

function queryMutations(operation: Operation, base: fc.Arbitrary<QueryEntry[]>): fc.Arbitrary<{ query: QueryEntry[]; mutation: Mutation }>[] {
  const out: fc.Arbitrary<{ query: QueryEntry[]; mutation: Mutation }>[] = [];
  const replace = (entries: QueryEntry[], name: string, added: QueryEntry[]) => [...entries.filter(([key]) => key !== name), ...added];
  for (const param of operation.queryParams) {
    const { name, schema } = param;
    if (name === 'access_token') continue;
    const numeric = schema.type === 'integer' || schema.type === 'number';
    const bad: string[] = [];
    if (numeric) bad.push('abc', '', '1'.repeat(40), `-${'9'.repeat(40)}`, 'NaN', 'Infinity', '0x10', ...(schema.type === 'integer' ? ['1.5', '1e3'] : []));
    const range = outOfRange(schema);
    if (schema.enum?.length) bad.push('not-a-choice', '');
    if (schema.type === 'boolean') bad.push('maybe');
    if (schema.format === 'uuid') bad.push('not-a-uuid', '123');
    if (bad.length)
      out.push(
        fc
          .tuple(base, fc.constantFrom(...bad))
          .map(([query, value]) => ({ query: replace(query, name, [[name, value]]), mutation: reject(`query:bad-value:${name}`, name) })),
      );
    if (range) {
      out.push(
        fc.tuple(base, range).map(([query, value]) => ({
          query: replace(query, name, [[name, value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })]]),
          mutation: reject(`query:out-of-range:${name}`, name),
        })),
      );
    }
    if (schema.type !== 'array') {
      const strict = numeric || !!schema.enum?.length || schema.type === 'boolean';
      out.push(
        fc.tuple(base, validValue(schema), validValue(schema)).map(([query, a, b]) => ({
          query: replace(query, name, [
            [name, String(a)],
            [name, String(b)],
          ]),
          mutation: { kind: `query:repeated:${name}`, mustReject: strict, field: name },
        })),
      );
    }
    out.push(
      fc.tuple(base, fc.constantFrom('[$gt]', '[]', '[0]', '[__proto__]')).map(([query, suffix]) => ({
        query: replace(query, name, [[`${name}${suffix}`, '1']]),
        mutation: { kind: `query:brackets:${name}`, mustReject: false, field: name },
      })),
    );
    out.push(
      fc
        .tuple(
          base,
          oddString().filter((s) => s.length < 2_000),
        )
        .map(([query, value]) => ({
          query: replace(query, name, [[name, value]]),
          mutation: {
            kind: `query:odd-string:${name}`,
            mustReject: value.includes('\u0000') || (schema.type !== 'string' && schema.type !== 'array') || stringMustBeRejected(schema, value),
            field: name,
          },
        })),
    );
    out.push(
      fc
        .tuple(base, fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%C0%AF'))
        .map(([query, raw]) => ({ query: replace(query, name, [[name, raw, true]]), mutation: { kind: `query:bad-encoding:${name}`, mustReject: false } })),
    );
  }
  out.push(
    fc
      .tuple(base, fc.constantFrom('unknownParam', '__proto__', 'constructor', 'a'.repeat(2_000)))
      .map(([query, key]) => ({ query: [...query, [key, '1']], mutation: { kind: 'query:unknown-param', mustReject: false } })),
  );
  return out;
}

function pathMutations(operation: Operation): fc.Arbitrary<{ values: Record<string, string>; raw: boolean; mutation: Mutation }>[] {
  return operation.pathParams.map((param: Parameter) => {
    const constrained = isFullyConstrained(param.schema);
    return fc
      .tuple(
        validPathValues(operation, () => []),
        fc.oneof(
          fc
            .constantFrom('not-a-uuid', '123', 'x'.repeat(300), '00000000-0000-4000-8000-00000000000g', '🎵', '{"$gt":""}', "' or 1=1 --", '\u0000')
            .map((value) => ({ value, raw: false })),
          fc.constantFrom('%zz', '%00', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%C0%AF').map((value) => ({ value, raw: true })),
        ),
      )
      .map(([values, { value, raw }]) => ({
        values: raw
          ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k === param.name ? value : percentEncode(v)]))
          : { ...values, [param.name]: value },
        raw,
        mutation: { kind: `path:bad:${param.name}`, mustReject: constrained, field: raw ? undefined : param.name, beforeAuth: true },
      }));
  });
}

const XML = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request><durationSec>30</durationSec>&x;</request>';

/** Bodies a parser must refuse or ignore: broken JSON, other media types, oversize, bad encodings, broken multipart. */
function rawBodyMutations(operation: Operation): fc.Arbitrary<{ headers: Record<string, string>; body: Buffer; mutation: Mutation }> {
  const needsBody = (operation.body?.schema.required?.length ?? 0) > 0 || isMultipart(operation);
  const parseFailure = (kind: string): Mutation => ({ kind, mustReject: true, beforeAuth: true });
  const ignored = (kind: string): Mutation => ({ kind, mustReject: needsBody, beforeAuth: true });
  const cases: fc.Arbitrary<{ headers: Record<string, string>; body: Buffer; mutation: Mutation }>[] = [
    fc
      .constantFrom('{"durationSec": 30', '{', '{"a":}', '[1,2', '{"a":"\\ud800"', 'nul', '{"a":1}}', '\u0000')
      .map((text) => ({ headers: JSON_HEADERS, body: Buffer.from(text), mutation: parseFailure('raw:malformed-json') })),
    fc.constant({ headers: { 'content-type': 'text/plain' }, body: Buffer.from('{"durationSec":30}'), mutation: ignored('raw:text-plain') }),
    fc.constant({ headers: { 'content-type': 'application/xml' }, body: Buffer.from(XML), mutation: ignored('raw:xml') }),
    fc.constant({ headers: { 'content-type': 'application/json' }, body: Buffer.alloc(3 * 1024 * 1024, 0x20), mutation: parseFailure('raw:too-large') }),
    fc.constant({ headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: Buffer.from('definitely not gzip'), mutation: parseFailure('raw:bad-gzip') }),
    fc.constant({
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)),
      mutation: parseFailure('raw:gzip-bomb'),
    }),
    fc.constant({ headers: { ...JSON_HEADERS, 'content-encoding': 'x-unknown' }, body: Buffer.from('{}'), mutation: parseFailure('raw:unknown-encoding') }),
    fc.constant({ headers: { 'content-type': 'application/json; charset=latin1' }, body: Buffer.from('{}'), mutation: parseFailure('raw:bad-charset') }),
    fc.constant({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('durationSec=30&a[b]=1&%zz=1'),
      mutation: ignored('raw:form-urlencoded'),
    }),
    fc.constant({
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: multipartBody([['durationSec', '30']]).subarray(0, 40),
      mutation: ignored('raw:truncated-multipart'),
    }),
  ];
  if (isMultipart(operation)) {
    const files = fileProperties(operation.body!.schema);
    const fileName = files[0]?.[0] ?? 'file';
    const good = (parts: Part[]) => multipartBody(parts);
    const wav = (filename = 'a.wav', data = SINE_WAV): FilePart => ({ filename, contentType: 'audio/wav', data });
    cases.push(
      fc.constant({ headers: { 'content-type': 'multipart/form-data' }, body: good([[fileName, wav()]]), mutation: parseFailure('multipart:no-boundary') }),
      fc.constant({
        headers: { 'content-type': 'multipart/form-data; boundary=other' },
        body: good([[fileName, wav()]]),
        mutation: parseFailure('multipart:wrong-boundary'),
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([[fileName, wav()]]).subarray(0, 200),
        mutation: parseFailure('multipart:truncated'),
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([]),
        mutation: { ...reject('multipart:no-file', fileName), beforeAuth: true },
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([
          [fileName, wav()],
          ['unexpected', wav('b.wav')],
        ]),
        mutation: { ...reject('multipart:extra-file'), beforeAuth: true },
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([[fileName, wav('../../../etc/passwd\u0000.wav')]]),
        mutation: { kind: 'multipart:odd-filename', mustReject: false, beforeAuth: true },
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([[fileName, wav('x.wav', Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt garbage'))]]),
        mutation: { ...reject('multipart:corrupt-file'), beforeAuth: true },
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([[fileName, wav('empty.wav', Buffer.alloc(0))]]),
        mutation: { ...reject('multipart:empty-file'), beforeAuth: true },
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([[fileName, { filename: 'x.png', contentType: 'image/png', data: Buffer.from('\x89PNG\r\n\x1a\n') }]]),
        mutation: { ...reject('multipart:wrong-media-type'), beforeAuth: true },
      }),
      fc.constant({
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: good([
          [fileName, wav()],
          ['x'.repeat(300), 'y'.repeat(2_000_000)],
        ]),
        mutation: { ...reject('multipart:huge-field'), beforeAuth: true },
      }),
      fc.constant({ headers: JSON_HEADERS, body: Buffer.from('{}'), mutation: parseFailure('multipart:json-instead') }),
    );
  }
  return fc.oneof(...cases);
}

/** Every request shape for one operation: valid ones and each kind of mutation. */
export function requestShapes(operation: Operation, knownIds: () => string[]): fc.Arbitrary<Shape> {
  const basePath = validPathValues(operation, knownIds);
  const baseQuery = validQuery(operation);
  const baseBody = (): fc.Arbitrary<{ headers: Record<string, string>; body?: Buffer }> =>
    isJson(operation)
      ? validJsonBody(operation).map((v) => ({ headers: JSON_HEADERS, body: Buffer.from(JSON.stringify(v)) }))
      : isMultipart(operation)
        ? validShape(operation, knownIds).map(({ headers, body }) => ({ headers, body }))
        : fc.constant({ headers: {} });
  const shape = (url: string, headers: Record<string, string>, body: Buffer | undefined, mutation: Mutation): Shape => ({
    kind: mutation.kind,
    url,
    headers,
    body,
    expect: { valid: false, mustReject: mutation.mustReject, field: mutation.field, beforeAuth: mutation.beforeAuth ?? false },
  });

  const mutations: fc.Arbitrary<Shape>[] = [];
  if (isJson(operation)) {
    for (const m of jsonBodyMutations(operation)) {
      mutations.push(
        fc.tuple(basePath, baseQuery, m).map(([path, query, { body, text, mutation }]) => {
          const json = JSON.stringify(body) ?? '';
          return shape(buildUrl(operation, path, query), JSON_HEADERS, Buffer.from(text ? text(json) : json), mutation);
        }),
      );
    }
  }
  for (const m of queryMutations(operation, baseQuery)) {
    mutations.push(
      fc
        .tuple(basePath, m, baseBody())
        .map(([path, { query, mutation }, { headers, body }]) => shape(buildUrl(operation, path, query), headers, body, mutation)),
    );
  }
  for (const m of pathMutations(operation)) {
    mutations.push(
      fc
        .tuple(m, baseQuery, baseBody())
        .map(([{ values, raw, mutation }, query, { headers, body }]) => shape(buildUrl(operation, values, query, raw), headers, body, mutation)),
    );
  }
  mutations.push(
    fc
      .tuple(basePath, baseQuery, rawBodyMutations(operation))
      .map(([path, query, { headers, body, mutation }]) => shape(buildUrl(operation, path, query), headers, body, mutation)),
  );

  return fc.oneof({ weight: mutations.length > 4 ? 3 : 1, arbitrary: validShape(operation, knownIds) }, { weight: 7, arbitrary: fc.oneof(...mutations) });
}

/** A request case: a shape and who sends it (mostly valid tokens, so validation is reached). */
export function requestCases(operation: Operation, knownIds: () => string[]): fc.Arbitrary<RequestCase> {
  const token = fc.oneof(
    { weight: 6, arbitrary: fc.constant<TokenKind>('admin') },
    { weight: 2, arbitrary: fc.constant<TokenKind>('user') },
    { weight: 2, arbitrary: fc.constantFrom<TokenKind>(...BAD_TOKENS) },
  );
  return fc
    .tuple(requestShapes(operation, knownIds), token)
    .map(([shape, tokenKind]) => ({ operation: operation.id, method: operation.method, token: tokenKind, ...shape }));
}
