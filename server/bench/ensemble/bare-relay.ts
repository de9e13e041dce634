/**
 * The peer of bench:ensemble: a bare Socket.IO relay (no auth, no validation, default parser, one process, no Redis),
 * as the issue measured it: a client joins a room by name and every note is sent on to the room's other sockets.
 * It answers clock:ping the same way, so the clients estimate their clock offset and latency identically.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http);
const now = () => performance.timeOrigin + performance.now();

io.on('connection', (socket) => {
  let room = '';
  socket.on('clock:ping', (payload: { t0: number }, ack?: (r: unknown) => void) => ack?.({ ok: true, t0: payload.t0, serverTime: now() }));
  socket.on('room:join', (payload: { code: string }, ack?: (r: unknown) => void) => {
    room = payload.code;
    socket.join(room) as void;
    ack?.({ ok: true, memberId: socket.id, room: { id: room, accompanist: { memberId: 'none' } } });
  });
  socket.on('note', (note: Record<string, unknown>) => socket.to(room).emit('note', { ...note, memberId: socket.id }));
});
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let cpu = process.cpuUsage();
process.on('message', (message: { stats?: boolean; exit?: boolean }) => {
  // A clean exit (not a signal), so that --cpu-prof writes its profile.
  if (message.exit)
    io.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  if (!message.stats) return;
  const used = process.cpuUsage(cpu);
  process.send?.({ stats: { loopP99Ms: delay.percentile(99) / 1e6, loopMaxMs: delay.max / 1e6, cpuMs: (used.user + used.system) / 1000 } });
  delay.reset();
  cpu = process.cpuUsage();
});
http.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: true }));
