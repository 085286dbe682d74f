import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node'
import { ConfigError, ConnectionError } from '@tickmesh/core'

export interface ConnectNatsOptions {
  /** Connection name shown by the server (`nats server report connections`). */
  name?: string
  /** How long the first connect may take (default 5 000 ms). */
  timeoutMs?: number
  /** Delay between reconnect attempts (default 1 000 ms); the client reconnects forever. */
  reconnectTimeWaitMs?: number
  /** Extra client options passed to `@nats-io/transport-node` as they are. */
  client?: Partial<NodeConnectionOptions>
}

/**
 * Parses `nats://[user:pass@]host:port[,host:port…]` (a user without a password is a token) into
 * client options. Throws a `ConfigError` naming the bad part.
 */
export function parseNatsUrl(
  url: string,
): Pick<NodeConnectionOptions, 'servers' | 'user' | 'pass' | 'token'> {
  const parts = url
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
  if (parts.length === 0) {
    throw new ConfigError('The NATS URL is empty.', { hint: 'Pass e.g. nats://127.0.0.1:4222.' })
  }
  const servers: string[] = []
  const options: Pick<NodeConnectionOptions, 'servers' | 'user' | 'pass' | 'token'> = { servers }
  for (const part of parts) {
    const withScheme = part.includes('://') ? part : `nats://${part}`
    let parsed: URL
    try {
      parsed = new URL(withScheme)
    } catch (error) {
      throw new ConfigError(`"${part}" is not a NATS URL.`, {
        cause: error,
        hint: 'Write it as nats://host:4222 (several servers separated by commas).',
      })
    }
    if (parsed.protocol !== 'nats:' && parsed.protocol !== 'tls:') {
      throw new ConfigError(`"${part}" is not a nats:// URL.`, {
        hint: 'Write it as nats://host:4222; tickmesh talks to NATS over its own protocol, not ws or http.',
        details: { protocol: parsed.protocol },
      })
    }
    servers.push(`${parsed.hostname}:${parsed.port || '4222'}`)
    if (parsed.username !== '') {
      const user = decodeURIComponent(parsed.username)
      if (parsed.password === '') options.token = user
      else {
        options.user = user
        options.pass = decodeURIComponent(parsed.password)
      }
    }
  }
  return options
}

/** Connects to NATS, reconnecting forever after the first success. Rejects with a `ConnectionError`. */
export async function connectNats(url: string, options: ConnectNatsOptions = {}): Promise<NatsConnection> {
  const parsed = parseNatsUrl(url)
  const timeoutMs = options.timeoutMs ?? 5_000
  try {
    return await connect({
      ...parsed,
      name: options.name ?? 'tickmesh',
      timeout: timeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectTimeWaitMs ?? 1_000,
      ...options.client,
    })
  } catch (error) {
    throw new ConnectionError(`Could not connect to NATS at ${redactNatsUrl(url)}.`, {
      cause: error,
      isRetryable: true,
      details: { reason: error instanceof Error ? error.message : String(error), timeoutMs },
      hint: 'Check that nats-server runs with JetStream (nats-server -js) and the host and port are reachable.',
    })
  }
}

/** The URL without credentials, for messages and logs. */
export function redactNatsUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, '//***@')
}
