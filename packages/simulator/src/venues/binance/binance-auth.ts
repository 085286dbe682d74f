import { createHmac, createPublicKey, verify } from 'node:crypto'
import { safeEqual } from '../../shared/index'

/** An API key the simulated venue accepts: an HMAC secret or an Ed25519 public key (PEM). */
export interface BinanceSimAccount {
  apiKey: string
  secret?: string
  publicKeyPem?: string
}

/**
 * The account the simulator accepts by default: the API key and secret of Binance's official HMAC
 * signing example (web-socket-api.md), so the documented test vector verifies against it.
 */
export const BINANCE_SIM_ACCOUNT: Readonly<BinanceSimAccount> = Object.freeze({
  apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
  secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
})

/** Binance's signature payload: every param but `signature`, sorted by name, joined as `k=v&…`. */
export function binanceSignaturePayload(params: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
  const parts: string[] = []
  for (const name of names) parts.push(`${name}=${String(params[name])}`)
  return parts.join('&')
}

export type BinanceAuthFailure = { status: number; code: number; msg: string }

/**
 * Verifies a signed WebSocket API request the way Binance does: the key must exist (-2015), the
 * timestamp must lie within `recvWindow` behind and 1 s ahead of the server clock (-1021), and the
 * signature must match (-1022; HMAC hex is case-insensitive, compared in constant time).
 */
export function verifyBinanceRequest(
  params: Readonly<Record<string, unknown>>,
  accounts: readonly BinanceSimAccount[],
  serverTime: number,
): BinanceAuthFailure | null {
  for (const name of ['apiKey', 'timestamp', 'signature'] as const) {
    const value = params[name]
    if (value === undefined || value === null || value === '') {
      return {
        status: 400,
        code: -1102,
        msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
      }
    }
  }
  const account = accounts.find((candidate) => candidate.apiKey === params.apiKey)
  if (!account) return { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }
  const timestamp = Number(params.timestamp)
  const recvWindow = params.recvWindow === undefined ? 5_000 : Number(params.recvWindow)
  if (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > 60_000) {
    return { status: 400, code: -1131, msg: 'recvWindow must be less than 60000' }
  }
  if (!Number.isFinite(timestamp) || timestamp > serverTime + 1_000) {
    return {
      status: 400,
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    }
  }
  if (serverTime - timestamp > recvWindow) {
    return { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }
  }
  const signature = String(params.signature)
  const payload = binanceSignaturePayload(params)
  if (!signatureMatches(account, payload, signature)) {
    return { status: 400, code: -1022, msg: 'Signature for this request is not valid.' }
  }
  return null
}

function signatureMatches(account: BinanceSimAccount, payload: string, signature: string): boolean {
  if (account.secret !== undefined) {
    const expected = createHmac('sha256', account.secret).update(payload, 'utf8').digest('hex')
    return safeEqual(signature.toLowerCase(), expected)
  }
  if (account.publicKeyPem !== undefined) {
    try {
      return verify(
        null,
        Buffer.from(payload, 'utf8'),
        createPublicKey(account.publicKeyPem),
        Buffer.from(signature, 'base64'),
      )
    } catch {
      return false
    }
  }
  return false
}
