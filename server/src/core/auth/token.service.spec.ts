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
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual(user);
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual(user);
  });

  it('rejects a tampered token', async () => {
    const tokens = new TokenService(jwt, config);
    const token = await tokens.signAccessToken(user);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    await expect(tokens.verifyAccessToken(`${header}.${forged}.${signature}`)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('rejects a remembered token once it has expired', async () => {
    const tokens = new TokenService(jwt, config);
    const token = await tokens.signAccessToken(user);
    await tokens.verifyAccessToken(token);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    await expect(tokens.verifyAccessToken(token)).rejects.toBeInstanceOf(UnauthorizedException);
  });
});
