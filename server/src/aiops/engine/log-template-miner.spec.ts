import { LogTemplateMiner, maskTokens, MAX_MINE_LINES, mine } from './log-template-miner';

describe('maskTokens', () => {
  it.each([
    ['Accepted password for root from 10.0.0.7 port 52114 ssh2', 'Accepted password for root from <*> port <*>'],
    ['Deleting block blk_-1608999687919862906 file /mnt/hadoop/dfs/data/current/subdir7/blk_-16', 'Deleting block <*> file <*>'],
    ['totalSteps=1234 Calories:56 done', 'totalSteps=<*> Calories:<*> done'],
    ['request took 35ms (limit 2.5 s)', 'request took <*> (limit <*>)'],
    ['stored block (estimated size 12.5 KB, free 3.1 GB)', 'stored block (estimated size <*>, free <*>)'],
    ['connect to 0x7f3a9c12 failed', 'connect to <*> failed'],
    ['session 3f2c9a1e-77b0-4c4e-9a55-0d1f1c2b3a4d closed', 'session <*> closed'],
    ['GET https://example.com/a?b=1 returned', 'GET <*> returned'],
    ['chip 00:1A:2B:3C:4D:EA inserted', 'chip <*> inserted'],
    ['connection from host (troi.bluesky-technologies.com) at Fri Jun 17 20:55:07 2005', 'connection from host <*> at <*>'],
    ['logged in user= tty=()', 'logged in user=<*> tty=(<*>)'],
    ['Adding protocol org.apache.hadoop.MRClientProtocolPB to the server', 'Adding protocol org.apache.hadoop.MRClientProtocolPB to the server'],
  ])('masks the values in %j', (line, expected) => {
    expect(maskTokens(line).join(' ')).toBe(expected);
  });
});

/** Lines of three events with their variables drawn from small pools. */
function synthetic(n: number): { lines: string[]; events: number[] } {
  const users = ['root', 'admin', 'guest', 'oracle', 'test', 'alice', 'bob'];
  const lines: string[] = [];
  const events: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = i % 3;
    events.push(e);
    if (e === 0) lines.push(`Failed password for ${users[i % users.length]} from 192.168.${i % 7}.${i % 250} port ${40000 + i} ssh2`);
    else if (e === 1) lines.push(`Connection closed by 10.1.${i % 9}.${i % 200} [preauth]`);
    else lines.push(`Received ${i * 13} bytes in ${i % 97} ms from worker-${i % 5}`);
  }
  return { lines, events };
}

describe('mine', () => {
  it('groups lines of one event together and apart from other events', () => {
    const { lines, events } = synthetic(300);
    const { assignments, templates } = mine(lines);
    expect(templates).toHaveLength(3);
    for (let i = 0; i < lines.length; i++) for (let j = 0; j < 5; j++) expect(assignments[i] === assignments[j]).toBe(events[i] === events[j]);
    expect(templates.map((t) => t.template)).toEqual([
      'Failed password for <*> from <*> port <*>',
      'Connection closed by <*> [preauth]',
      'Received <*> in <*> from <*>',
    ]);
    expect(templates.map((t) => t.count)).toEqual([100, 100, 100]);
  });

  it('keeps a word with few distinct values as part of the template, and turns a many-valued one into <*>', () => {
    const lines = [
      ...Array.from({ length: 20 }, () => 'Starting TrustedInstaller initialization.'),
      ...Array.from({ length: 20 }, () => 'Starting TrustedInstaller finalization.'),
      ...['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((w) => `Cache miss for key ${w}`),
    ];
    const { templates } = mine(lines);
    expect(templates.map((t) => [t.template, t.count])).toEqual([
      ['Starting TrustedInstaller initialization.', 20],
      ['Starting TrustedInstaller finalization.', 20],
      ['Cache miss for key <*>', 6],
    ]);
  });

  it('numbers templates in order of first appearance and assigns every line', () => {
    const { assignments, templates } = mine(['b 1', 'a x y', 'b 2', 'a x y']);
    expect(assignments).toEqual(['T1', 'T2', 'T1', 'T2']);
    expect(templates[0]).toEqual({ id: 'T1', template: 'b <*>', count: 2 });
  });

  it('rejects bad input naming the field', () => {
    expect(() => mine([])).toThrow('lines must not be empty');
    expect(() => mine(['ok', 3 as unknown as string])).toThrow('lines[1] must be a string');
    expect(() => mine(new Array<string>(MAX_MINE_LINES + 1).fill('x'))).toThrow('at most 50000');
  });
});

describe('LogTemplateMiner (online)', () => {
  it('assigns each message as it arrives, and generalises a position once it has shown four distinct words', () => {
    const miner = new LogTemplateMiner();
    expect(miner.add('Invalid user admin from 10.0.0.1')).toEqual({ id: 'T1', isNew: true, merged: [] });
    expect(miner.add('Invalid user admin from 10.0.0.9')).toEqual({ id: 'T1', isNew: false, merged: [] });
    expect(miner.add('Connection reset by peer')).toEqual({ id: 'T2', isNew: true, merged: [] });
    expect(miner.add('Invalid user oracle from 10.0.0.2')).toEqual({ id: 'T3', isNew: true, merged: [] });
    expect(miner.add('Invalid user guest from 10.0.0.3')).toEqual({ id: 'T4', isNew: true, merged: [] });
    expect(miner.add('Invalid user test from 10.0.0.4')).toEqual({ id: 'T1', isNew: false, merged: ['T3', 'T4'] });
    expect(miner.resolve('T3')).toBe('T1');
    expect(miner.template('T4')).toBe('Invalid user <*> from <*>');
    expect(miner.templates()).toEqual([
      { id: 'T1', template: 'Invalid user <*> from <*>', count: 5 },
      { id: 'T2', template: 'Connection reset by peer', count: 1 },
    ]);
  });

  it('keeps two words at one position as two templates', () => {
    const miner = new LogTemplateMiner();
    for (let k = 0; k < 10; k++) miner.add(k % 2 ? 'Starting TrustedInstaller initialization.' : 'Starting TrustedInstaller finalization.');
    expect(miner.templates().map((t) => t.template)).toEqual(['Starting TrustedInstaller finalization.', 'Starting TrustedInstaller initialization.']);
  });

  it('groups the synthetic events like the batch miner', () => {
    const { lines, events } = synthetic(90);
    const miner = new LogTemplateMiner();
    const ids = lines.map((l) => miner.add(l).id).map((id) => miner.resolve(id));
    for (let i = 0; i < lines.length; i++) expect(ids[i] === ids[0]).toBe(events[i] === events[0]);
    expect(miner.size).toBe(3);
  });
});
