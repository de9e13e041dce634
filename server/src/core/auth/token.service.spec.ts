import { createSecretKey } from 'node:crypto';
import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../config/app-config';
import { TokenService } from './token.service';

describe('TokenService access tokens', () => {
  const config = loadConfig({ NODE_ENV: 'test', JWT_ACCESS_TTL: '60' });
  const jwt = new JwtService({
    secret: createSecretKey(Buffer.from('s'.repeat(40))) as unknown as string,
    signOptions: { algorithm: 'HS256' },
    verifyOptions: { algorithms: ['HS256'] },
  });
  const user = { id: 'u-1', email: 'a@xiaoyu.test', role: 'user' as const };

  afterEach(() => jest.restoreAllMocks());

  it('verifies a token it signed, again and again', async () => {
    const tokens = new TokenService(jwt, config);
    const token = await tokens.signAccessToken(user);
    expect(tokens.verifyAccessToken(token)).toEqual(user);
    expect(tokens.verifyAccessToken(token)).toEqual(user);
  });

  it('rejects a tampered token', async () => {
    const tokens = new TokenService(jwt, config);
    const token = await tokens.signAccessToken(user);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(() => tokens.verifyAccessToken(`${header}.${forged}.${signature}`)).toThrow(UnauthorizedException);
  });

  it('rejects a remembered token once it has expired', async () => {
    const tokens = new TokenService(jwt, config);
    const token = await tokens.signAccessToken(user);
    tokens.verifyAccessToken(token);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(() => tokens.verifyAccessToken(token)).toThrow(UnauthorizedException);
  });
});
