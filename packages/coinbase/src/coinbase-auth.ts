import type { Credentials } from '@tickmesh/core'
import { AuthenticationError, ConfigError, hmacSha256Base64, revealSecret } from '@tickmesh/core'

/** Coinbase accepts a signed request whose timestamp is within 30 s of its clock. */
export const COINBASE_AUTH_WINDOW_MS = 30_000

export interface CoinbaseAuthFields {
  signature: string
  key: string
  passphrase: string
  timestamp: string
}

/**
 * The auth fields of a signed feed `subscribe`:
 * `signature = base64(HMAC_SHA256(base64decode(secret), timestamp + "GET" + "/users/self/verify"))`,
 * the timestamp in seconds.
 */
export function signCoinbaseSubscribe(credentials: Credentials, serverTimeMs: number): CoinbaseAuthFields {
  const { secret, passphrase } = revealSecret(credentials)
  if (secret === undefined || passphrase === undefined) {
    throw new ConfigError('Coinbase credentials need a secret and a passphrase.', {
      venue: 'coinbase',
      hint: 'Pass createCredentials({ apiKey, secret, passphrase }) with the base64 secret as issued.',
    })
  }
  const timestamp = String(Math.floor(serverTimeMs / 1000))
  const signature = hmacSha256Base64(Buffer.from(secret, 'base64'), `${timestamp}GET/users/self/verify`)
  return { signature, key: credentials.apiKey, passphrase, timestamp }
}

/**
 * Turns the feed's `Authentication Failed` reply into an AuthenticationError that says which cause it
 * is: a clock outside the 30 s window (with the measured drift) or the key, secret or passphrase.
 */
export function coinbaseAuthError(
  venueMessage: string,
  drift: { clockDriftMs: number; localTime: number; serverTime: number } | null,
  cause: unknown,
): AuthenticationError {
  const reason = venueMessage.toLowerCase()
  const clockRejected = reason.includes('timestamp')
  const drifted = drift !== null && Math.abs(drift.clockDriftMs) > COINBASE_AUTH_WINDOW_MS
  if (clockRejected || drifted) {
    const seconds = drift === null ? null : (drift.clockDriftMs / 1000).toFixed(1)
    return new AuthenticationError(
      seconds === null
        ? 'Coinbase rejected the request timestamp: the local clock is off.'
        : `Coinbase rejected the request timestamp: the local clock is ${seconds} s off the venue's.`,
      {
        venue: 'coinbase',
        cause,
        ...(drift ?? {}),
        details: { venueMessage },
        hint: 'Sync the system clock (NTP), or leave syncClock on so the adapter signs with the venue time.',
      },
    )
  }
  const which = reason.includes('passphrase')
    ? 'passphrase'
    : reason.includes('key')
      ? 'API key'
      : 'secret (signature)'
  return new AuthenticationError(`Coinbase rejected the API credentials: wrong ${which}.`, {
    venue: 'coinbase',
    cause,
    ...(drift ?? {}),
    details: { venueMessage },
    hint: 'Check the API key, the base64 secret and the passphrase of the Coinbase Exchange key.',
  })
}
