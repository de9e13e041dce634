import type { MessageEvent } from '@nestjs/common';
import { pollingEventStream, PolledEvents } from './server-sent-events';

interface State {
  step: number;
  done?: boolean;
}

/** A source whose reads answer, in order, with the values or failures given; it counts the reads made. */
function scripted(answers: Array<State | Error>, options: Partial<PolledEvents<State>> = {}): PolledEvents<State> & { reads: number } {
  const source: PolledEvents<State> & { reads: number } = {
    reads: 0,
    read: (): Promise<State> => {
      const answer = answers[Math.min(source.reads, answers.length - 1)];
      source.reads += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    events: (state: State): MessageEvent[] => [{ type: 'status', data: state }],
    isFinal: (state: State) => state.done === true,
    intervalMs: 100,
    endOn: new AbortController().signal,
    ...options,
  };
  return source;
}

function collect(source: PolledEvents<State>) {
  const events: MessageEvent[] = [];
  let completed = false;
  const subscription = pollingEventStream(source).subscribe({ next: (event) => events.push(event), complete: () => (completed = true) });
  return { events, subscription, completed: () => completed };
}

describe('pollingEventStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads at once, then every intervalMs, and sends the events of each read', async () => {
    const source = scripted([{ step: 1 }, { step: 2 }, { step: 3 }]);
    const { events, subscription } = collect(source);
    await jest.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ type: 'status', data: { step: 1 } }]);
    await jest.advanceTimersByTimeAsync(99);
    expect(source.reads).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(events.map((e) => e.data)).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
    subscription.unsubscribe();
  });

  it('ends when the server starts to shut down, and reads no more', async () => {
    const shutdown = new AbortController();
    const source = scripted([{ step: 1 }], { endOn: shutdown.signal });
    const { completed } = collect(source);
    await jest.advanceTimersByTimeAsync(0);
    shutdown.abort();
    expect(completed()).toBe(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(source.reads).toBe(1);
    // A stream opened once shutdown began ends at once.
    const late = collect(scripted([{ step: 1 }], { endOn: shutdown.signal }));
    expect(late.completed()).toBe(true);
  });

  it('sends a value read before the stream opened first, and polls only after intervalMs', async () => {
    const source = scripted([{ step: 2 }], { first: { step: 1 } });
    const { events, subscription } = collect(source);
    expect(events.map((e) => e.data)).toEqual([{ step: 1 }]);
    expect(source.reads).toBe(0);
    await jest.advanceTimersByTimeAsync(100);
    expect(events.map((e) => e.data)).toEqual([{ step: 1 }, { step: 2 }]);
    subscription.unsubscribe();
  });

  it('drops a state equal to the last one sent when asked to (skipUnchanged)', async () => {
    const answers = [{ step: 1 }, { step: 1 }, { step: 2 }, { step: 2 }, { step: 1 }];
    const same = collect(scripted(answers, { skipUnchanged: true }));
    const every = collect(scripted(answers));
    await jest.advanceTimersByTimeAsync(400);
    expect(same.events.map((e) => e.data)).toEqual([{ step: 1 }, { step: 2 }, { step: 1 }]);
    expect(every.events).toHaveLength(5);
    same.subscription.unsubscribe();
    every.subscription.unsubscribe();
  });

  it('completes after the final value and reads no more', async () => {
    const source = scripted([{ step: 1 }, { step: 2, done: true }, { step: 3 }]);
    const { events, completed } = collect(source);
    await jest.advanceTimersByTimeAsync(1000);
    expect(events.map((e) => e.data)).toEqual([{ step: 1 }, { step: 2, done: true }]);
    expect(completed()).toBe(true);
    expect(source.reads).toBe(2);
  });

  it('reports a failed read as an `unavailable` event with its detail, backs off while failing, and recovers', async () => {
    const down = new Error('Redis cannot be reached');
    const source = scripted([{ step: 1 }, down, down, down, { step: 2 }, { step: 3 }]);
    const { events, subscription } = collect(source);
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(100); // read 2 fails: next in 200 ms
    expect(events.at(-1)).toEqual({ type: 'unavailable', data: { detail: 'Redis cannot be reached' } });
    await jest.advanceTimersByTimeAsync(199);
    expect(source.reads).toBe(2);
    await jest.advanceTimersByTimeAsync(1); // read 3 fails: next in 400 ms
    await jest.advanceTimersByTimeAsync(399);
    expect(source.reads).toBe(3);
    await jest.advanceTimersByTimeAsync(1); // read 4 fails: next in 800 ms
    await jest.advanceTimersByTimeAsync(800); // read 5 answers: back to 100 ms
    await jest.advanceTimersByTimeAsync(100);
    expect(events.map((e) => e.type)).toEqual(['status', 'unavailable', 'unavailable', 'unavailable', 'status', 'status']);
    expect(events.slice(-2).map((e) => e.data)).toEqual([{ step: 2 }, { step: 3 }]);
    subscription.unsubscribe();
  });

  it('ends, without an event, when a read fails in a way isGone says is final', async () => {
    const gone = new Error('No job 7');
    const source = scripted([{ step: 1 }, new Error('Redis cannot be reached'), gone, { step: 2 }], { isGone: (error) => error === gone });
    const { events, completed } = collect(source);
    await jest.advanceTimersByTimeAsync(1000);
    expect(events.map((e) => e.type)).toEqual(['status', 'unavailable']);
    expect(completed()).toBe(true);
    expect(source.reads).toBe(3);
  });

  it('caps the pause between failing reads at maxBackoffMs', async () => {
    const source = scripted([new Error('down')], { maxBackoffMs: 300 });
    const { subscription } = collect(source);
    await jest.advanceTimersByTimeAsync(0); // fails: 200
    await jest.advanceTimersByTimeAsync(200); // fails: min(400, 300)
    await jest.advanceTimersByTimeAsync(300); // fails: 300
    await jest.advanceTimersByTimeAsync(300);
    expect(source.reads).toBe(4);
    subscription.unsubscribe();
  });

  it('stops reading and clears its timer when the client disconnects', async () => {
    const source = scripted([{ step: 1 }, { step: 2 }]);
    const { events, subscription } = collect(source);
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);
    subscription.unsubscribe();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(source.reads).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('sends nothing from a read that answers after the client left', async () => {
    let answer!: (state: State) => void;
    const source = scripted([], { read: () => new Promise<State>((resolve) => (answer = resolve)) });
    const { events, subscription } = collect(source);
    subscription.unsubscribe();
    answer({ step: 1 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(events).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
