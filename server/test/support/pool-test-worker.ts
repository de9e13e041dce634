/** A worker for the WorkerPool spec: spins the CPU, echoes, throws a typed error, or dies. */
import { serveWorkerTasks } from '../../src/core/workers/worker-pool';

class TypedError extends Error {
  override readonly name = 'TypedError';
  readonly code = 'bad-input';
}

type Task = { op: 'spin'; ms: number } | { op: 'echo'; value: unknown } | { op: 'fail' } | { op: 'exit' };

serveWorkerTasks<Task, unknown>((task) => {
  switch (task.op) {
    case 'spin': {
      const end = Date.now() + task.ms;
      let x = 0;
      while (Date.now() < end) x += Math.sqrt(x + 1);
      return { spun: task.ms, x: x > 0 };
    }
    case 'echo':
      return task.value;
    case 'fail':
      throw new TypedError('the input was bad');
    case 'exit':
      process.exit(3);
  }
});
