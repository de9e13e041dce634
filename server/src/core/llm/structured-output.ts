import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validate, type ValidationError } from 'class-validator';

/**
 * Structured output: describing a class-validator DTO to the model, reading the JSON it answers
 * (fenced or not), and validating it into an instance. No Nest, no I/O.
 */

export type ParsedOutput<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const FENCE = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/;
const THINKING = /<think>[\s\S]*?<\/think>/g;

/** Reads the JSON object out of a model reply: tolerates ```json fences, <think> blocks and prose around it. */
export function extractJsonObject(content: string): { ok: true; value: Record<string, unknown> } | { ok: false; problem: string } {
  let text = content.replace(THINKING, '').trim();
  const fenced = FENCE.exec(text);
  if (fenced) text = fenced[1].trim();
  if (text === '') return { ok: false, problem: 'the reply was empty' };

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Some models add a sentence before or after the object: try the outermost braces.
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    const inner = start >= 0 && end > start ? tryParse(text.slice(start, end + 1)) : undefined;
    if (inner === undefined) return { ok: false, problem: `the reply was not valid JSON (${(error as Error).message})` };
    parsed = inner;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, problem: 'the reply must be one JSON object, not an array or a scalar' };
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses, transforms (class-transformer) and validates (class-validator, whitelist) one reply. */
export async function parseStructuredOutput<T extends object>(content: string, schema: ClassConstructor<T>): Promise<ParsedOutput<T>> {
  const json = extractJsonObject(content);
  if (!json.ok) return { ok: false, problems: [json.problem] };
  const instance = plainToInstance(schema, json.value);
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) return { ok: false, problems: flattenValidationErrors(errors) };
  return { ok: true, value: instance };
}

/** One line per failed constraint, with a dotted path: `sections.0.bars: bars must be an integer number`. */
export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) lines.push(`${path}: ${message}`);
    if (error.children?.length) lines.push(...flattenValidationErrors(error.children, path));
  }
  return lines;
}

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** A DTO class, as class-validator and class-transformer keep their metadata by constructor. */
type DtoClass = abstract new (...args: never[]) => unknown;

interface TypeMetadataStorage {
  findTypeMetadata(target: DtoClass, propertyName: string): { typeFunction: () => DtoClass } | undefined;
}
// class-transformer keeps @Type() in this singleton; it has no typed public accessor.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const typeStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeMetadataStorage }).defaultMetadataStorage;

const MAX_DEPTH = 4;

/**
 * Describes the fields a DTO accepts, from its class-validator decorators (plus the @ApiProperty
 * description/example when present), as lines for the system prompt.
 */
export function describeSchema(schema: DtoClass, indent = '', depth = 0): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const item of metadata) {
    const list = byProperty.get(item.propertyName) ?? [];
    list.push(item);
    byProperty.set(item.propertyName, list);
  }

  const lines: string[] = [];
  for (const [property, rules] of byProperty) {
    lines.push(`${indent}- "${property}": ${describeProperty(schema, property, rules)}`);
    const nested = rules.find((rule) => rule.type === 'nestedValidation');
    const nestedType = nested ? typeStorage.findTypeMetadata(schema, property)?.typeFunction() : undefined;
    if (nestedType && depth < MAX_DEPTH) {
      lines.push(`${indent}  each object has:`);
      lines.push(...describeSchema(nestedType, `${indent}    `, depth + 1));
    }
  }
  return lines;
}

function describeProperty(schema: DtoClass, property: string, rules: ValidationMetadata[]): string {
  const named = new Map<string, ValidationMetadata>();
  for (const rule of rules) if (rule.name) named.set(rule.name, rule);
  const constraint = (name: string): unknown => named.get(name)?.constraints?.[0];
  /** min, max and the length and size rules carry one number. */
  const limit = (name: string): number => Number(constraint(name));

  const parts: string[] = [];
  const isArray = named.has('isArray') || rules.some((rule) => rule.each);
  const nested = rules.some((rule) => rule.type === 'nestedValidation');

  let kind = nested ? 'object' : scalarKind(named);
  if (named.has('isIn')) kind = `one of ${(constraint('isIn') as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (named.has('isEnum'))
    kind = `one of ${enumValues(named.get('isEnum')!)
      .map((v) => JSON.stringify(v))
      .join(', ')}`;
  if (isArray) kind = kind === 'any value' ? 'array' : `array of ${kind}`;
  parts.push(kind);

  const optional = named.has('isOptional');
  parts.push(optional ? 'optional' : 'required');

  const bounds: string[] = [];
  if (named.has('min')) bounds.push(`>= ${limit('min')}`);
  if (named.has('max')) bounds.push(`<= ${limit('max')}`);
  if (named.has('minLength')) bounds.push(`at least ${limit('minLength')} characters`);
  if (named.has('maxLength')) bounds.push(`at most ${limit('maxLength')} characters`);
  if (named.has('isLength')) {
    const [min, max] = named.get('isLength')!.constraints as [number, number | undefined];
    bounds.push(max === undefined ? `at least ${min} characters` : `${min}-${max} characters`);
  }
  if (named.has('arrayMinSize')) bounds.push(`at least ${limit('arrayMinSize')} items`);
  if (named.has('arrayMaxSize')) bounds.push(`at most ${limit('arrayMaxSize')} items`);
  if (named.has('matches')) bounds.push(`matching /${(constraint('matches') as RegExp | string).toString().replace(/^\/|\/[a-z]*$/g, '')}/`);
  parts.push(...bounds);

  const swagger = Reflect.getMetadata?.('swagger/apiModelProperties', schema.prototype as object, property) as
    { description?: string; example?: unknown } | undefined;
  if (swagger?.description) parts.push(swagger.description);
  if (swagger?.example !== undefined) parts.push(`e.g. ${JSON.stringify(swagger.example)}`);
  return parts.join(', ');
}

function scalarKind(named: Map<string, ValidationMetadata>): string {
  if (named.has('isInt')) return 'integer';
  if (named.has('isNumber') || named.has('isPositive') || named.has('min') || named.has('max')) return 'number';
  if (named.has('isBoolean')) return 'boolean';
  if (named.has('isString') || named.has('minLength') || named.has('maxLength') || named.has('isLength')) return 'string';
  if (named.has('isObject')) return 'object';
  return 'any value';
}

function enumValues(rule: ValidationMetadata): unknown[] {
  // class-validator stores [enumObject, validValues]; fall back to the object's values for older versions.
  const [enumObject, validValues] = rule.constraints as [Record<string, unknown>, unknown[] | undefined];
  if (Array.isArray(validValues)) return validValues;
  return Object.entries(enumObject)
    .filter(([key]) => Number.isNaN(Number(key)))
    .map(([, value]) => value);
}
