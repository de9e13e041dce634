import { StoredPatternIds } from './stored-pattern-ids';

/** The stored patterns: id → text, component and level, as the repository keeps them. */
function store() {
  const rows = new Map<string, { template: string; component: string; level: string }>();
  const lookup = (template: string, component: string, level: string) =>
    Promise.resolve([...rows].find(([, r]) => r.template === template && r.component === component && r.level === level)?.[0]);
  return { rows, lookup };
}

describe('StoredPatternIds', () => {
  it('gives a restarted process’s T1 its own pattern, not the row of the T1 before the restart', async () => {
    const { rows, lookup } = store();
    const before = new StoredPatternIds(lookup);
    const seeded = await before.of('T1', 'Job <*> failed', 'worker', 'error');
    rows.set(seeded, { template: 'Job <*> failed', component: 'worker', level: 'error' });

    const after = new StoredPatternIds(lookup);
    const other = await after.of('T1', 'GET <*> 200', 'api', 'info');
    expect(other).not.toBe(seeded);
    // The template it had before the restart finds its stored row again.
    expect(await after.of('T2', 'Job <*> failed', 'worker', 'error')).toBe(seeded);
  });

  it('keeps a template’s id as it generalises, and gives two workers meeting a new template the same id', async () => {
    const { lookup } = store();
    const worker = new StoredPatternIds(lookup);
    const id = await worker.of('T1', 'user 5 logged in', 'auth', 'info');
    expect(await worker.of('T1', 'user <*> logged in', 'auth', 'info')).toBe(id);
    expect(await new StoredPatternIds(lookup).of('T7', 'user 5 logged in', 'auth', 'info')).toBe(id);
    expect(await new StoredPatternIds(lookup).of('T1', 'user 5 logged in', 'auth', 'warn')).not.toBe(id);
  });
});
