import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { makeSession, settle } from '../../../testing/test-helpers';
import { FakeEventSource, signedInWithFakeEventSource } from '../../../testing/fake-event-source';
import { FollowedJob, JobRecord } from './followed-job';

interface Story extends JobRecord {
  id: string;
  queue: string;
  progress: { percent: number; stage: string };
  createdAt: string;
  text?: string;
}

const record = (id: string, state: string, extra: Partial<Story> = {}): Story => ({
  id,
  queue: 'stories',
  state,
  progress: { percent: state === 'completed' ? 100 : 40, stage: 'composing' },
  createdAt: '2026-11-29T12:00:00.000Z',
  ...extra,
});

describe('FollowedJob', () => {
  let http: HttpTestingController;
  let reads: Map<string, Story | Error>;
  let readIds: string[];
  let ended: Story[];

  const create = (readWhileRunning = false) =>
    TestBed.runInInjectionContext(
      () =>
        new FollowedJob<Story>({
          read: (id) => {
            readIds.push(id);
            const answer = reads.get(id);
            return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer!);
          },
          readWhileRunning,
          ended: (r) => ended.push(r),
        }),
    );

  beforeEach(() => {
    http = signedInWithFakeEventSource();
    reads = new Map();
    readIds = [];
    ended = [];
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  it('follows a running job at the URL given, then reads it once when it ends', async () => {
    const job = create();
    job.show('s1', '/api/jobs/stories/s1/events');
    expect(readIds).toEqual([]);
    expect(job.running()).toBe(true);
    const source = FakeEventSource.instances[0];
    source.emit('status', record('s1', 'active'));
    expect(job.status()?.state).toBe('active');

    reads.set('s1', record('s1', 'completed', { text: 'Once upon a time' }));
    source.emit('status', record('s1', 'completed'));
    TestBed.tick();
    await settle();
    expect(readIds).toEqual(['s1']);
    expect(job.record()?.text).toBe('Once upon a time');
    expect(ended.map((r) => r.id)).toEqual(['s1']);
    expect(job.running()).toBe(false);
  });

  it('reads at once when asked to, and follows the events URL of a record still running', async () => {
    const job = create(true);
    reads.set('s1', record('s1', 'active', { eventsUrl: '/api/jobs/stories/s1/events', text: 'draft' }));
    job.show('s1');
    await settle();
    expect(job.record()?.text).toBe('draft');
    expect(FakeEventSource.instances.map((s) => s.url)).toEqual(['/api/jobs/stories/s1/events?access_token=access-1']);
    expect(ended).toEqual([]);
  });

  it('stops following when a read says the job has ended', async () => {
    const job = create(true);
    reads.set('s1', record('s1', 'failed'));
    job.show('s1', '/api/jobs/stories/s1/events');
    await settle();
    expect(FakeEventSource.instances[0].readyState).toBe(FakeEventSource.CLOSED);
    expect(job.status()?.state).toBe('failed');
    expect(ended.map((r) => r.state)).toEqual(['failed']);
  });

  it('ignores the answer for a job no longer shown', async () => {
    const job = create();
    reads.set('s1', record('s1', 'completed'));
    reads.set('s2', record('s2', 'completed'));
    job.show('s1');
    job.show('s2');
    await settle();
    expect(job.record()?.id).toBe('s2');
    expect(ended.map((r) => r.id)).toEqual(['s2']);
  });

  it('reads the job once when its stream gives up, and stops running when the job is gone', async () => {
    const job = create();
    job.show('s1', '/api/jobs/stories/s1/events');
    FakeEventSource.instances[0].emit('status', record('s1', 'active'));
    expect(job.running()).toBe(true);
    // The job was deleted: the server ended the stream, and the browser's reconnect is refused even after a refresh.
    reads.set('s1', new Error('No story s1'));
    FakeEventSource.instances[0].fail(FakeEventSource.CLOSED);
    http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2' }));
    await settle();
    FakeEventSource.instances[1].fail(FakeEventSource.CLOSED);
    TestBed.tick();
    await settle();
    expect(readIds).toEqual(['s1']);
    expect(job.problem()?.detail).toBe('No story s1');
    expect(job.running()).toBe(false);
  });

  it('keeps a failed read as a problem, and clear() shows nothing and closes the stream', async () => {
    const job = create(true);
    reads.set('s1', new Error('The story store is offline'));
    job.show('s1', '/api/jobs/stories/s1/events');
    await settle();
    expect(job.problem()?.detail).toBe('The story store is offline');
    job.clear();
    expect(job.id()).toBeNull();
    expect(job.problem()).toBeNull();
    expect(FakeEventSource.instances[0].readyState).toBe(FakeEventSource.CLOSED);
  });
});
