import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from './errors/problem.dto';

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The OpenAPI document of every route; operation ids are `<controller><Method>` (e.g. `authLogin`). */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('xiaoyu-ai API')
    .setDescription('AI music platform. Errors are RFC 9457 application/problem+json (see the Problem schema).')
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDto],
    operationIdFactory: (controllerKey, methodKey) =>
      lowerFirst(controllerKey.replace(/Controller$/, '')) + methodKey.charAt(0).toUpperCase() + methodKey.slice(1),
  });
  return sortKeys(document) as OpenAPIObject;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
