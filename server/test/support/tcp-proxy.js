// Plain CommonJS (typed by tcp-proxy.d.ts) so that both the server's e2e specs and the client's browser tests (.mjs,
// which cannot import TypeScript) use this one relay.
const net = require('node:net');

/**
 * A TCP relay in front of a real service (Redis), so a test can take the service away from the app and give it
 * back, as a network partition would, without stopping the shared server: `cut()` severs every connection and
 * refuses new ones until `restore()`.
 */
class TcpProxy {
  server = null;
  sockets = new Set();
  port = 0;

  constructor(targetHost, targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** Listens on 127.0.0.1 (a free port the first time, the same port after a cut); returns the port. */
  async start() {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // a reset on one side closes the other; the app sees a lost connection, as intended
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = server.address().port;
    this.server = server;
    return this.port;
  }

  async cut() {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(() => resolve()));
  }

  async restore() {
    if (!this.server) await this.start();
  }

  stop() {
    return this.cut();
  }
}

module.exports = { TcpProxy };
