import { formatUptime } from './uptime';

describe('formatUptime', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [720, '12 min'],
    [3600, '1 h'],
    [3720, '1 h 2 min'],
    [86_400, '1 d'],
    [2 * 86_400 + 4 * 3600 + 59, '2 d 4 h'],
  ])('formats %i seconds as "%s"', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
  });
});
