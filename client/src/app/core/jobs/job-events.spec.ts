import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { makeSession, settle } from '../../../testing/test-helpers';
import { FakeEventSource, signedInWithFakeEventSource } from '../../../testing/fake-event-source';
import { JobEvents } from './job-events';

const status = (state: string, percent: number) => ({
  id: 'j1',
  queue: 'music-generation',
  state,
  progress: { percent, stage: 'rendering' },
  createdAt: '2026-11-28T12:00:00.000Z',
});

describe('JobEvents', () => {
  let http: HttpTestingController;
  let events: JobEvents;

  beforeEach(() => {
    http = signedInWithFakeEventSource();
    events = TestBed.inject(JobEvents);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  it('opens the stream with the access token in the query string', () => {
    events.follow('/api/jobs/music-generation/j1/events', null);
    expect(FakeEventSource.instances[0].url).toBe('/api/jobs/music-generation/j1/events?access_token=access-1');
  });

  it('exposes each status and closes the stream when the job completes', () => {
    const job = events.follow('/api/jobs/music-generation/j1/events', null);
    const source = FakeEventSource.instances[0];
    source.emit('status', status('active', 40));
    expect(job.status()?.progress.percent).toBe(40);
    expect(job.finished()).toBe(false);

    source.emit('status', status('completed', 100));
    expect(job.finished()).toBe(true);
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('shows the transient problem the server reports as an unavailable event, and clears it on the next status', () => {
    const job = events.follow('/api/jobs/music-generation/j1/events', null);
    const source = FakeEventSource.instances[0];
    source.emit('unavailable', { detail: 'Redis is unavailable' });
    expect(job.problem()).toBe('Redis is unavailable');
    source.emit('status', status('active', 50));
    expect(job.problem()).toBeNull();
  });

  it('refreshes the token once and reopens when the stream is refused', async () => {
    const job = events.follow('/api/jobs/music-generation/j1/events', null);
    FakeEventSource.instances[0].fail(FakeEventSource.CLOSED);
    http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2' }));
    await settle();

    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[1].url).toContain('access_token=access-2');
    FakeEventSource.instances[1].fail(FakeEventSource.CLOSED);
    expect(job.problem()).toContain('Live updates stopped');
    http.expectNone('/api/auth/refresh');
  });

  it('stops following when asked', () => {
    const job = events.follow('/api/jobs/music-generation/j1/events', null);
    job.stop();
    expect(FakeEventSource.instances[0].readyState).toBe(FakeEventSource.CLOSED);
  });
});
