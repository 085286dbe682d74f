import { createHmac } from 'node:crypto'
import { safeEqual } from '../../shared/safe-equal'

/**
 * The simulated OKX account. The simulator has no user database: this one API key is valid, and a
 * client that signs with another secret or passphrase gets OKX's real login errors.
 */
export const OKX_SIM_CREDENTIALS = Object.freeze({
  apiKey: 'okx-sim-api-key',
  secret: 'okx-sim-secret-22582BD0CFF14C41',
  passphrase: 'okx-sim-passphrase',
})

/** OKX rejects a login whose timestamp is more than 30 s away from its clock. */
export const OKX_LOGIN_WINDOW_MS = 30_000

export type OkxLoginVerdict = { ok: true } | { ok: false; code: string; msg: string }

/** `base64(HMAC_SHA256(secret, timestamp + "GET" + "/users/self/verify"))`. */
export function okxLoginSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}GET/users/self/verify`).digest('base64')
}

/** Verifies a `login` arg exactly as OKX does, in its order: key, timestamp, window, sign, passphrase. */
export function verifyOkxLogin(arg: unknown, nowMs: number): OkxLoginVerdict {
  if (typeof arg !== 'object' || arg === null) return { ok: false, code: '60012', msg: 'Invalid request' }
  const { apiKey, passphrase, timestamp, sign } = arg as Record<string, unknown>
  if (
    typeof apiKey !== 'string' ||
    typeof passphrase !== 'string' ||
    typeof timestamp !== 'string' ||
    typeof sign !== 'string'
  ) {
    return { ok: false, code: '60012', msg: 'Invalid request' }
  }
  if (apiKey !== OKX_SIM_CREDENTIALS.apiKey) return { ok: false, code: '60005', msg: 'Invalid apiKey' }
  if (!/^\d+(\.\d+)?$/.test(timestamp)) return { ok: false, code: '60004', msg: 'Invalid timestamp' }
  if (Math.abs(nowMs - Number(timestamp) * 1000) > OKX_LOGIN_WINDOW_MS) {
    return { ok: false, code: '60006', msg: 'Timestamp request expired' }
  }
  if (!safeEqual(sign, okxLoginSign(OKX_SIM_CREDENTIALS.secret, timestamp))) {
    return { ok: false, code: '60007', msg: 'Invalid sign' }
  }
  if (!safeEqual(passphrase, OKX_SIM_CREDENTIALS.passphrase)) {
    return { ok: false, code: '60024', msg: 'Wrong passphrase' }
  }
  return { ok: true }
}
