import { createSecretKey } from 'node:crypto';
import { ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AUTH_RATE_LIMITED } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';
import { IpThrottlerGuard } from './ip-throttler.guard';
import { TokenService } from './token.service';
import { UsersRepository } from './users.repository';

const isAuthRoute = (context: ExecutionContext) => Reflect.getMetadata(AUTH_RATE_LIMITED, context.getHandler()) === true;

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      // A KeyObject spares jsonwebtoken from trying (and failing) to parse the secret as a public key on every verify.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
        signOptions: { algorithm: 'HS256' as const },
        verifyOptions: { algorithms: ['HS256' as const] },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: new FixedWindowThrottlerStorage(),
        throttlers: [
          { name: 'api', ttl: 60_000, limit: config.API_RATE_LIMIT },
          { name: 'auth', ttl: 60_000, limit: config.AUTH_RATE_LIMIT, skipIf: (context) => !isAuthRoute(context) },
        ],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, TokenService, UsersRepository, { provide: APP_GUARD, useClass: IpThrottlerGuard }, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, TokenService],
})
export class AuthModule {}
