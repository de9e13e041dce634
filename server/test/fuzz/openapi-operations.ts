import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The subset of JSON Schema (OpenAPI 3.0) that @nestjs/swagger emits. */
export interface Schema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  format?: string;
  description?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
  example?: unknown;
}

export interface RequestBodySpec {
  contentType: string;
  schema: Schema;
  required: boolean;
  /** Whole request bodies the document gives as examples (requestBody.content[type].example/examples). */
  examples: unknown[];
}

export interface Operation {
  id: string;
  method: string;
  /** `/api/music/generation/{id}/status` */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: RequestBodySpec;
  /** Needs a bearer token (the document's `security`). */
  secured: boolean;
  /** The statuses the operation documents. */
  documented: Set<number>;
  /** Error statuses documented with a body of their own (not the Problem schema), such as the health checks' 503. */
  ownErrorBodies: Set<number>;
  /** Documents a Server-Sent Events answer (the client reads the head of any stream only). */
  streams: boolean;
}

interface RawOperation {
  operationId?: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, { value?: unknown }> }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
}

interface Document {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
  security?: unknown[];
}

export const OPENAPI_PATH = join(__dirname, '../../../openapi/openapi.json');

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Resolves $ref and flattens allOf, so generators see plain schemas. */
export function resolveSchema(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): Schema {
  if (!schema || depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveSchema(components[name], components, depth + 1);
  }
  let resolved: Schema = { ...schema };
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => resolveSchema(part, components, depth + 1));
    resolved = parts.reduce<Schema>(
      (merged, part) => ({
        ...merged,
        ...part,
        properties: { ...merged.properties, ...part.properties },
        required: [...(merged.required ?? []), ...(part.required ?? [])],
      }),
      { ...schema, allOf: undefined },
    );
  }
  if (resolved.properties) {
    resolved.properties = Object.fromEntries(Object.entries(resolved.properties).map(([key, value]) => [key, resolveSchema(value, components, depth + 1)]));
  }
  if (resolved.items) resolved.items = resolveSchema(resolved.items, components, depth + 1);
  if (resolved.oneOf) resolved.oneOf = resolved.oneOf.map((part) => resolveSchema(part, components, depth + 1));
  if (resolved.anyOf) resolved.anyOf = resolved.anyOf.map((part) => resolveSchema(part, components, depth + 1));
  return resolved;
}

/** Every operation of the OpenAPI document, in document order. */
export function loadOperations(path = OPENAPI_PATH): Operation[] {
  const document = JSON.parse(readFileSync(path, 'utf8')) as Document;
  const components = document.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const parameters = (raw.parameters ?? [])
        .filter((p): p is Parameter => !('$ref' in p))
        .map((p) => ({ ...p, required: p.required ?? p.in === 'path', schema: resolveSchema(p.schema, components) }));
      const responses = raw.responses ?? {};
      const streams = Object.values(responses).some((r) => Object.keys(r.content ?? {}).includes('text/event-stream'));
      operations.push({
        id: raw.operationId ?? `${method} ${route}`,
        method: method.toUpperCase(),
        path: route,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: bodyOf(raw, components),
        secured: (raw.security ?? document.security ?? []).length > 0,
        documented: new Set(Object.keys(responses).map(Number).filter(Number.isFinite)),
        ownErrorBodies: new Set(
          Object.entries(responses)
            .filter(
              ([status, r]) =>
                Number(status) >= 400 && Object.values(r.content ?? {}).some((media) => !!media.schema && !media.schema.$ref?.endsWith('ProblemDto')),
            )
            .map(([status]) => Number(status)),
        ),
        streams,
      });
    }
  }
  return operations;
}

function bodyOf(raw: RawOperation, components: Record<string, Schema>): RequestBodySpec | undefined {
  const content = raw.requestBody?.content;
  if (!content) return undefined;
  const contentType = Object.keys(content).find((type) => type === 'multipart/form-data') ?? Object.keys(content)[0];
  if (!contentType) return undefined;
  const media = content[contentType];
  const examples = [...(media.example !== undefined ? [media.example] : []), ...Object.values(media.examples ?? {}).map((e) => e.value)].filter(
    (value) => value !== undefined,
  );
  return { contentType, schema: resolveSchema(media.schema, components), required: raw.requestBody?.required ?? false, examples };
}
