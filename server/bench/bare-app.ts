/**
 * The peer for bench:api: a bare NestJS app on the same Express adapter with no logging, auth,
 * validation, metrics or helmet; `/me` runs the same primary-key read as the platform's /api/auth/me.
 */
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';

const POOL = Symbol('POOL');

@Controller()
class BareController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('me')
  async me(@Query('id') id: string): Promise<{ id: string; email: string; role: string } | undefined> {
    const { rows } = await this.pool.query<{ id: string; email: string; role: string }>('select id, email, role from users where id = $1', [id]);
    return rows[0];
  }
}

@Module({
  controllers: [BareController],
  providers: [{ provide: POOL, useFactory: () => new Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) }],
})
class BareModule {}

async function main() {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
