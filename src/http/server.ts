import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

export interface HealthCheck {
  readonly ok: boolean;
  readonly detail: Record<string, unknown>;
}

export interface HealthReport {
  readonly healthy: boolean;
  readonly checks: Record<string, HealthCheck>;
}

export interface HttpEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz: 200 when every check passes, 503 with the failing checks otherwise (JSON either way).
 * GET /metrics: Prometheus text. Nothing else: 404.
 */
export async function startHttpEndpoint(options: {
  readonly port: number;
  readonly host?: string;
  readonly health: () => HealthReport;
  readonly metrics: Metrics;
  readonly logger: Logger;
}): Promise<HttpEndpoint> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const path = (request.url ?? '/').split('?')[0];
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          response.writeHead(405, { allow: 'GET, HEAD' }).end();
        } else if (path === '/healthz') {
          const report = options.health();
          const failing = Object.entries(report.checks)
            .filter(([, check]) => !check.ok)
            .map(([name]) => name);
          const body = JSON.stringify({ status: report.healthy ? 'ok' : 'unhealthy', failing, checks: report.checks });
          response.writeHead(report.healthy ? 200 : 503, { 'content-type': 'application/json' }).end(body);
        } else if (path === '/metrics') {
          const text = await options.metrics.registry.metrics();
          response.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text);
        } else {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try /healthz or /metrics\n');
        }
      } catch (error) {
        options.logger.error({ err: error }, 'http endpoint failed');
        if (!response.headersSent) response.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'health and metrics endpoint listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
