import { createHmac } from 'node:crypto'
import { safeEqual } from '../../shared/index'

/** An API key the simulated Coinbase Exchange accepts. `secret` is base64, as Coinbase issues it. */
export interface CoinbaseSimAccount {
  apiKey: string
  secret: string
  passphrase: string
}

/**
 * The account the simulator accepts: the made-up secret of the derived test vector in the shared
 * fixtures (`derived_auth_test_vector.json`), so the vector's signature verifies against it.
 */
export const COINBASE_SIM_ACCOUNT: Readonly<CoinbaseSimAccount> = Object.freeze({
  apiKey: 'tickmesh-sim-coinbase-key',
  secret: 'c2VjcmV0LWtleS1mb3ItdGVzdGluZw==',
  passphrase: 'tickmesh-sim-passphrase',
})

/** Coinbase accepts a request timestamp within 30 s of its own clock. */
export const COINBASE_AUTH_WINDOW_SECONDS = 30

/** `base64(HMAC_SHA256(base64decode(secret), timestamp + "GET" + "/users/self/verify"))`. */
export function coinbaseFeedSignature(secret: string, timestamp: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64'))
    .update(`${timestamp}GET/users/self/verify`, 'utf8')
    .digest('base64')
}

/** The fields a signed `subscribe` carries. */
export interface CoinbaseAuthFields {
  key?: unknown
  passphrase?: unknown
  timestamp?: unknown
  signature?: unknown
}

export function hasAuthFields(message: CoinbaseAuthFields): boolean {
  return (
    message.key !== undefined ||
    message.signature !== undefined ||
    message.passphrase !== undefined ||
    message.timestamp !== undefined
  )
}

/**
 * Verifies a signed subscribe as the feed does. Returns null when valid, else the `reason` text the
 * venue puts in its `{"type":"error","message":"Authentication Failed","reason":…}` reply (the same
 * words as its REST 401 bodies).
 */
export function verifyCoinbaseAuth(
  message: CoinbaseAuthFields,
  accounts: readonly CoinbaseSimAccount[],
  serverTimeMs: number,
): string | null {
  const { key, passphrase, timestamp, signature } = message
  if (typeof key !== 'string' || key.length === 0) return 'invalid API key'
  const account = accounts.find((candidate) => candidate.apiKey === key)
  if (account === undefined) return 'invalid API key'
  if (typeof timestamp !== 'string' && typeof timestamp !== 'number') return 'invalid timestamp'
  const seconds = Number(timestamp)
  if (!Number.isFinite(seconds)) return 'invalid timestamp'
  if (Math.abs(serverTimeMs / 1000 - seconds) > COINBASE_AUTH_WINDOW_SECONDS)
    return 'request timestamp expired'
  if (typeof passphrase !== 'string' || !safeEqual(passphrase, account.passphrase))
    return 'invalid passphrase'
  if (typeof signature !== 'string') return 'invalid signature'
  const expected = coinbaseFeedSignature(account.secret, String(timestamp))
  return safeEqual(signature, expected) ? null : 'invalid signature'
}
