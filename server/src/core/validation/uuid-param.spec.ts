import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../errors/problem';
import { isUuid, UuidPipe } from './uuid-param';

describe('UuidPipe', () => {
  const pipe = new UuidPipe();
  const meta = (data: string) => ({ type: 'param' as const, data });

  it('passes a UUID through (lower-cased)', () => {
    expect(pipe.transform('6C1F0F5E-0C61-4A4A-8D2B-9A3F8A5F2F10', meta('id'))).toBe('6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10');
  });

  it('passes the nil UUID and ids of any version, so an unknown one is a 404 rather than a 400', () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '6c1f0f5e-0c61-0a4a-0d2b-9a3f8a5f2f10'])
      expect(pipe.transform(id, meta('id'))).toBe(id);
  });

  it.each(['not-a-uuid', '', '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f1', '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10\u0000', "' or 1=1 --"])(
    'answers 400 naming the parameter for %j',
    (value) => {
      let thrown: unknown;
      try {
        pipe.transform(value, meta('generationId'));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProblemException);
      const problem = thrown as ProblemException;
      expect(problem.getStatus()).toBe(HttpStatus.BAD_REQUEST);
      expect(problem.problem.errors).toEqual([{ field: 'generationId', message: 'generationId must be a UUID' }]);
    },
  );

  it('recognises UUIDs only as strings', () => {
    expect(isUuid(42)).toBe(false);
    expect(isUuid('00000000-0000-4000-8000-000000000000')).toBe(true);
  });
});
