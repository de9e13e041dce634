/** Worker thread entry: runs the engine's stateless detect/mine off the event loop of the HTTP process. */
import { parentPort } from 'node:worker_threads';
import { detect, mine, type SeriesPoint } from '../engine';
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol';

function run(request: AnalysisRequest): string {
  if (request.kind === 'mine') return JSON.stringify(mine(request.lines));
  const { timestamps, values } = request;
  const points = new Array<SeriesPoint>(values.length);
  for (let i = 0; i < values.length; i++) points[i] = { timestamp: timestamps[i], value: values[i] };
  return JSON.stringify(detect(points));
}

parentPort?.on('message', (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    reply = { id: request.id, ok: true, json: run(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, message: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});
