import { createHmac } from 'node:crypto'
import { safeEqual } from '../../shared/index'

/** The one API key the simulated Bybit accepts; sign with its secret to log in to `/v5/private`. */
export const BYBIT_SIM_CREDENTIALS = Object.freeze({
  apiKey: 'bybit-sim-api-key',
  secret: 'bybit-sim-secret-7D3A91C2',
})

/** `hex(HMAC_SHA256(secret, "GET/realtime" + expires))`. */
export function bybitAuthSignature(secret: string, expires: number | string): string {
  return createHmac('sha256', secret).update(`GET/realtime${expires}`).digest('hex')
}

export type BybitAuthVerdict = { ok: true } | { ok: false; retMsg: string }

/**
 * Verifies `{"op":"auth","args":[key, expires, signature]}` as Bybit V5 does: an `expires` already in
 * the past (a client clock behind the venue's) gets `Params Error`; an unknown key or a wrong
 * signature gets `Request not authorized`. The signature is compared in constant time.
 */
export function verifyBybitAuth(args: unknown, now: number): BybitAuthVerdict {
  if (!Array.isArray(args) || args.length !== 3) return { ok: false, retMsg: 'Params Error' }
  const [apiKey, expires, signature] = args as unknown[]
  const expiresMs =
    typeof expires === 'number' ? expires : typeof expires === 'string' ? Number(expires) : Number.NaN
  if (typeof apiKey !== 'string' || typeof signature !== 'string' || !Number.isSafeInteger(expiresMs)) {
    return { ok: false, retMsg: 'Params Error' }
  }
  if (expiresMs <= now) return { ok: false, retMsg: 'Params Error' }
  const expected = bybitAuthSignature(BYBIT_SIM_CREDENTIALS.secret, String(expires))
  const signatureOk = safeEqual(signature, expected)
  if (apiKey !== BYBIT_SIM_CREDENTIALS.apiKey || !signatureOk)
    return { ok: false, retMsg: 'Request not authorized' }
  return { ok: true }
}
