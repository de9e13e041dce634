/** A worker for the WorkerPool spec whose module takes 2 s to load (as a cold start on a busy machine can), then echoes. */
import { serveWorkerTasks } from '../../src/core/workers/worker-pool';

const loaded = Date.now() + 2_000;
while (Date.now() < loaded);

serveWorkerTasks<unknown, unknown>((value) => value);
