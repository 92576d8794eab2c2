/** Listening: the app of ./app.ts on a socket (@hono/node-server). */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppOptions, createApp } from './app.js';
import { pooledJobs } from './jobs.js';

export { type AppOptions, createApp } from './app.js';

export interface ServerOptions extends AppOptions {
  port?: number;
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** stops accepting connections and waits for open requests (the database is the caller's) */
  close(): Promise<void>;
}

export function startServer(opts: ServerOptions): Promise<RunningServer> {
  // reading, checking and rendering run on worker threads, never on the thread answering requests
  const pool = opts.jobs ? null : pooledJobs();
  const app = createApp({ ...opts, ...(pool ? { jobs: pool } : {}) });
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port ?? 8787, hostname: host }, (info: AddressInfo) => {
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              void (pool?.close() ?? Promise.resolve()).then(() => done());
            });
            // idle keep-alive connections would hold close() open
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
