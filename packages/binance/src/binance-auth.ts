import type { ClockSync, Credentials } from '@tickmesh/core'
import {
  AuthenticationError,
  ConfigError,
  ed25519SignBase64,
  hmacSha256Hex,
  revealSecret,
} from '@tickmesh/core'

/** Binance's signature payload: every param but `signature`, sorted by name, joined as `k=v&…`. */
export function binanceSignaturePayload(params: Readonly<Record<string, string | number | boolean>>): string {
  const names = Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
  let payload = ''
  for (const name of names) payload += `${payload.length === 0 ? '' : '&'}${name}=${String(params[name])}`
  return payload
}

/** Signs params as Binance expects: HMAC-SHA256 hex for HMAC keys, Ed25519 base64 for Ed25519 keys. */
export function signBinanceParams(
  params: Readonly<Record<string, string | number | boolean>>,
  credentials: Credentials,
): string {
  const secret = revealSecret(credentials)
  const payload = binanceSignaturePayload(params)
  if (secret.privateKeyPem !== undefined) return ed25519SignBase64(secret.privateKeyPem, payload)
  if (secret.secret !== undefined) return hmacSha256Hex(secret.secret, payload)
  throw new ConfigError('Binance credentials need a secret (HMAC) or a privateKeyPem (Ed25519).', {
    venue: 'binance',
  })
}

/** The signed `userDataStream.subscribe.signature` request. */
export function buildUserDataSubscribe(
  id: string,
  credentials: Credentials,
  timestamp: number,
  recvWindow: number,
): string {
  const params: Record<string, string | number> = {
    apiKey: credentials.apiKey,
    recvWindow,
    timestamp: Math.round(timestamp),
  }
  const signature = signBinanceParams(params, credentials)
  return JSON.stringify({
    id,
    method: 'userDataStream.subscribe.signature',
    params: { ...params, signature },
  })
}

/**
 * Turns a WebSocket API refusal into an AuthenticationError that says which cause it was: -1021 a
 * clock outside recvWindow (with the drift measured against the venue's time endpoint), -1022 a
 * wrong secret, -2015 a wrong key / IP / permission.
 */
export function binanceAuthError(
  code: number,
  message: string,
  measured: { clockDriftMs: number | null; localTime: number | null; serverTime: number | null },
  recvWindow: number,
): AuthenticationError {
  if (code === -1021) {
    const drift = measured.clockDriftMs
    return new AuthenticationError(
      drift === null
        ? `Binance refused the request timestamp: ${message}`
        : `Binance refused the request timestamp: the local clock is ${Math.abs(Math.round(drift))} ms ${drift > 0 ? 'behind' : 'ahead of'} the venue's (recvWindow ${recvWindow} ms).`,
      {
        venue: 'binance',
        clockDriftMs: drift,
        localTime: measured.localTime,
        serverTime: measured.serverTime,
        hint: 'Sync the system clock (NTP), or keep clock sync enabled (syncClock: true, the default) so requests use the venue time.',
        details: { venueCode: code, venueMessage: message },
      },
    )
  }
  if (code === -1022) {
    return new AuthenticationError(
      'Binance rejected the signature: the API secret does not match the API key.',
      {
        venue: 'binance',
        hint: 'Check the secret (HMAC) or the Ed25519 private key belongs to this API key.',
        details: { venueCode: code, venueMessage: message },
      },
    )
  }
  if (code === -2015 || code === -2014 || code === -2008) {
    return new AuthenticationError(
      'Binance rejected the API key (invalid key, IP not allowed, or missing permission).',
      {
        venue: 'binance',
        hint: 'Check the API key, its IP allow-list and that it may read user data.',
        details: { venueCode: code, venueMessage: message },
      },
    )
  }
  return new AuthenticationError(`Binance refused the user data subscription: ${message} (code ${code}).`, {
    venue: 'binance',
    details: { venueCode: code, venueMessage: message },
  })
}

/** Measures the drift once (venue time − local time) for an error message; null when it fails. */
export async function measureDrift(
  clock: ClockSync,
  now: () => number,
): Promise<{ clockDriftMs: number | null; localTime: number | null; serverTime: number | null }> {
  try {
    const sample = await clock.sync()
    const localTime = Math.round(now())
    return {
      clockDriftMs: Math.round(sample.offsetMs),
      localTime,
      serverTime: Math.round(localTime + sample.offsetMs),
    }
  } catch {
    return { clockDriftMs: null, localTime: null, serverTime: null }
  }
}
