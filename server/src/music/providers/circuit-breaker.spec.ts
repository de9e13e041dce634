import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker({ failureThreshold: 3, resetAfterMs: 10_000, now: () => now });
  const fail = () => Promise.reject(new Error('boom'));
  const ok = () => Promise.resolve('fine');

  beforeEach(() => (now = 1_000_000));

  it('stays closed while calls succeed and below the failure threshold', async () => {
    const b = breaker();
    await expect(b.execute(fail)).rejects.toThrow('boom');
    await expect(b.execute(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('closed');
    await expect(b.execute(ok)).resolves.toBe('fine');
    await expect(b.execute(fail)).rejects.toThrow('boom');
    await expect(b.execute(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('closed'); // the success in between reset the count
  });

  it('opens after consecutive failures and then fails fast without calling', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.execute(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('open');
    const call = jest.fn(ok);
    await expect(b.execute(call)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(call).not.toHaveBeenCalled();
  });

  it('goes half-open after the reset time and closes on a successful trial', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.execute(fail)).rejects.toThrow();
    now += 10_000;
    expect(b.state).toBe('half-open');
    await expect(b.execute(ok)).resolves.toBe('fine');
    expect(b.state).toBe('closed');
  });

  it('re-opens when the half-open trial fails, for another full reset period', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.execute(fail)).rejects.toThrow();
    now += 10_000;
    await expect(b.execute(fail)).rejects.toThrow('boom');
    expect(b.state).toBe('open');
    now += 9_999;
    expect(b.state).toBe('open');
    now += 1;
    expect(b.state).toBe('half-open');
  });

  it('lets only one trial through while half-open', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.execute(fail)).rejects.toThrow();
    now += 10_000;
    let release!: () => void;
    const slow = b.execute(() => new Promise<string>((resolve) => (release = () => resolve('late'))));
    await expect(b.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(slow).resolves.toBe('late');
    expect(b.state).toBe('closed');
  });
});
