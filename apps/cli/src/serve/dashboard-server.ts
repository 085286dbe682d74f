import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { ConfigError, TickmeshError } from '@tickmesh/core'
import { type WebSocket, WebSocketServer } from 'ws'
import type { DashboardFeed } from './dashboard-feed'

export interface DashboardServerOptions {
  feed: DashboardFeed
  /** The built page (index.html and assets/). */
  assetsDir: string
  /** Default 8080; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1 (this machine only). */
  host?: string
  /** A page whose socket has more than this queued is skipped until it drains (default 4 MiB). */
  maxBufferedBytes?: number
  /** Pages connected at once (default 64); more are refused with close code 1013. */
  maxClients?: number
}

export interface DashboardServer {
  /** `http://host:port/`. */
  readonly url: string
  readonly port: number
  /** Pages connected now. */
  readonly clientCount: number
  /** Updates not sent to a page because its socket was backed up. */
  readonly skippedUpdates: number
  /** Closes every page socket and the HTTP server. Never rejects. */
  close(): Promise<void>
}

/** The WebSocket path the page connects to. */
export const DASHBOARD_SOCKET_PATH = '/ws'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

// Everything the page needs ships with it: the browser may talk to this server only.
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/** The port is taken or the address cannot be bound. */
export class DashboardListenError extends TickmeshError {
  override name = 'DashboardListenError'
}

/**
 * Serves the built page over HTTP and pushes the feed over one WebSocket: a snapshot on connect,
 * then every update. Pages that cannot keep up skip updates (each update carries the full tables
 * and the newest point, so a skipped one loses at most a one-second chart sample).
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { feed } = options
  const host = options.host ?? '127.0.0.1'
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024
  const maxClients = options.maxClients ?? 64
  const assetsDir = normalize(options.assetsDir)
  const indexFile = join(assetsDir, 'index.html')
  try {
    await stat(indexFile)
  } catch {
    throw new ConfigError(`The dashboard page is not built: ${indexFile} is missing.`, {
      hint: 'Build it with `pnpm --filter @tickmesh/cli build` (its vite step writes dist/web); a published @tickmesh/cli includes it.',
    })
  }

  const server: Server = createServer((request, response) => {
    void serveFile(assetsDir, indexFile, request, response)
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const clients = new Set<WebSocket>()
  let skipped = 0

  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '/').split('?')[0]
    if (path !== DASHBOARD_SOCKET_PATH) {
      socket.destroy()
      return
    }
    // Browsers send Origin: only this server's own page may read the feed, not another site's script.
    if (!sameOrigin(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      if (clients.size >= maxClients) {
        client.close(1013, 'too many dashboard pages')
        return
      }
      clients.add(client)
      client.on('close', () => clients.delete(client))
      client.on('error', () => clients.delete(client))
      // The page only listens; anything it sends is ignored.
      client.send(JSON.stringify(feed.snapshot()))
    })
  })

  const stopUpdates = feed.onUpdate((message) => {
    if (clients.size === 0) return
    const text = JSON.stringify(message)
    for (const client of clients) {
      if (client.readyState !== client.OPEN) continue
      if (client.bufferedAmount > maxBuffered) {
        skipped++
        continue
      }
      client.send(text)
    }
  })

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new DashboardListenError(
          `Cannot serve the dashboard on ${host}:${options.port ?? 8080}: ${error.code ?? error.message}.`,
          {
            cause: error,
            hint:
              error.code === 'EADDRINUSE'
                ? 'Another program uses that port: pick another with --port (or --port 0 for any free one).'
                : 'Check --host names an address of this machine.',
          },
        ),
      )
    }
    server.once('error', onError)
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  }).catch((error: unknown) => {
    stopUpdates()
    throw error
  })

  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  let closing: Promise<void> | null = null
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    get clientCount() {
      return clients.size
    },
    get skippedUpdates() {
      return skipped
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        stopUpdates()
        for (const client of clients) client.terminate()
        clients.clear()
        sockets.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

async function serveFile(
  assetsDir: string,
  indexFile: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    } catch {
      response.writeHead(400).end()
      return
    }
    if (pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
      return
    }
    // Only files under the assets directory; `..` and absolute tricks resolve outside and get 404.
    const candidate = pathname === '/' ? indexFile : normalize(join(assetsDir, pathname))
    if (candidate !== indexFile && !candidate.startsWith(assetsDir + sep)) {
      response.writeHead(404).end()
      return
    }
    const info = await stat(candidate).catch(() => null)
    if (info === null || !info.isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    const immutable = candidate.includes(`${sep}assets${sep}`)
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(candidate)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      // Vite fingerprints assets/: cache them; index.html always revalidates so a new build shows.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    const stream = createReadStream(candidate)
    stream.on('error', () => response.destroy())
    stream.pipe(response)
  } catch {
    if (!response.headersSent) response.writeHead(500)
    response.end()
  }
}

/** True when the upgrade has no Origin (not a browser) or one whose host is the host it asked for. */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}
