import net from "node:net";

/**
 * A TCP proxy between worker processes and PostgreSQL, for the fault suite: `refuse(ms)` cuts
 * every open connection and refuses new ones for a while, as a database restart does (the port
 * closed, then open again).
 */
export interface TcpProxy {
  port: number;
  /** Cuts every connection and refuses new ones for `ms`; resolves when it accepts again. */
  refuse(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port,
    async refuse(ms) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        cutAll();
      });
      await new Promise((resolve) => setTimeout(resolve, ms));
      await listen(port);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        cutAll();
      });
    },
  };
}
