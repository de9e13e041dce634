/**
 * The peer of bench:ensemble: a bare Socket.IO relay (no auth, no validation, default parser, one process, no Redis),
 * as the issue measured it: a client joins a room by name and every note is sent on to the room's other sockets.
 * It answers clock:ping the same way, so the clients estimate their clock offset and latency identically.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { answerPhaseStats } from './phase-stats';

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
  socket.on('room:leave', (_payload: unknown, ack?: (r: unknown) => void) => {
    socket.leave(room) as void;
    ack?.({ ok: true });
  });
  socket.on('note', (note: Record<string, unknown>) => socket.to(room).emit('note', { ...note, memberId: socket.id }));
});
answerPhaseStats(() => io.close());
// Port 0: the kernel picks a free one and the parent is told which (a port chosen beforehand can be taken meanwhile
// by one of the load clients' outgoing connections).
http.listen(0, '127.0.0.1', () => process.send?.({ ready: true, port: (http.address() as AddressInfo).port }));
