import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TurnBatchedDestination } from './turn-batched-destination';

describe('TurnBatchedDestination', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('writes the lines of one event-loop turn in one write, in order, when the turn ends', async () => {
    const writes: string[] = [];
    const destination = new TurnBatchedDestination({ write: (chunk: string) => writes.push(chunk) });
    destination.write('a\n');
    destination.write('b\n');
    destination.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    destination.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes nothing for a turn that logged nothing', async () => {
    const writes: string[] = [];
    const destination = new TurnBatchedDestination({ write: (chunk: string) => writes.push(chunk) });
    destination.flush();
    await nextTurn();
    expect(writes).toEqual([]);
  });

  /** A process that logs two lines through the default (stdout) destination and then ends in the same turn. */
  function exitRightAfterLogging(ending: string) {
    const module = join(__dirname, 'turn-batched-destination.ts');
    const script = `const { TurnBatchedDestination } = require(${JSON.stringify(module)});
      const stdout = new TurnBatchedDestination();
      stdout.write('first\\n');
      stdout.write('second\\n');
      ${ending}`;
    return spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { encoding: 'utf8', cwd: join(__dirname, '../../..') });
  }

  it('writes the waiting lines when the process exits before the turn ends', () => {
    const result = exitRightAfterLogging('process.exit(3);');
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('first\nsecond\n');
  });

  it('writes the waiting lines when an uncaught exception ends the process', () => {
    const result = exitRightAfterLogging("throw new Error('boom');");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('first\nsecond\n');
    expect(result.stderr).toContain('boom');
  });
});
