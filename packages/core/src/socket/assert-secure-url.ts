import { ConfigError } from '../errors'
import type { VenueId } from '../venues'

export interface AssertSecureUrlOptions {
  venue: VenueId
  /** Allow plain `ws://` / `http://` to non-loopback hosts (a trusted proxy). Default false. */
  allowInsecure?: boolean
  /** The scheme family the URL must have: `ws` (ws/wss) or `http` (http/https). Default either. */
  kind?: 'ws' | 'http'
}

/** Loopback hosts (the simulator): 127.0.0.0/8, `localhost`, `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '::1' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  )
}

/**
 * Live venues only over TLS: throws a `ConfigError` for a URL that does not parse, has another
 * scheme, or is plain `ws://` / `http://` to a non-loopback host without `allowInsecure` (market
 * data and keys would travel unencrypted). Returns the parsed URL.
 */
export function assertSecureUrl(url: string, options: AssertSecureUrlOptions): URL {
  const { venue, allowInsecure = false, kind } = options
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new ConfigError(`"${url}" is not a valid URL.`, {
      venue,
      cause,
      hint: `Pass a base URL such as ${kind === 'http' ? 'https://' : 'wss://'}host[:port].`,
    })
  }
  const protocol = parsed.protocol
  const isWs = protocol === 'ws:' || protocol === 'wss:'
  const isHttp = protocol === 'http:' || protocol === 'https:'
  if (kind === 'ws' ? !isWs : kind === 'http' ? !isHttp : !isWs && !isHttp) {
    const expected =
      kind === 'ws' ? 'wss:// or ws://' : kind === 'http' ? 'https:// or http://' : 'wss:// or https://'
    throw new ConfigError(`"${url}" must use ${expected}.`, { venue, details: { url } })
  }
  if ((protocol === 'ws:' || protocol === 'http:') && !allowInsecure && !isLoopbackHost(parsed.hostname)) {
    throw new ConfigError(
      `Refusing plain ${protocol}// to ${parsed.hostname}: market data and keys would travel unencrypted.`,
      {
        venue,
        details: { url },
        hint: `Use ${protocol === 'ws:' ? 'wss' : 'https'}://, a loopback address (the simulator), or set allowInsecure: true for a trusted proxy.`,
      },
    )
  }
  return parsed
}
