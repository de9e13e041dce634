import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { FixedWindowCounter, RATE_LIMIT_PEERS } from './fixed-window-counter';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisRateLimitPeers } from './redis-rate-limit-peers';
import { RoutePolicies } from './route-policy';
import { TokenService } from './token.service';
import { UsersRepository } from './users.repository';

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
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    UsersRepository,
    RoutePolicies,
    { provide: RATE_LIMIT_PEERS, useClass: RedisRateLimitPeers },
    FixedWindowCounter,
    // Rate limits first: a flood of requests with bad tokens is counted before any token is checked.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, TokenService],
})
export class AuthModule {}
