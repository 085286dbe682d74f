import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/** Key material: a secret string (used as its UTF-8 bytes) or raw bytes (e.g. a base64-decoded Coinbase secret). */
export type HmacKey = string | Uint8Array

/** HMAC-SHA256 of the UTF-8 payload, lowercase hex (Binance, Bybit). */
export function hmacSha256Hex(key: HmacKey, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('hex')
}

/** HMAC-SHA256 of the UTF-8 payload, base64 (OKX; Coinbase with the base64-decoded secret as key). */
export function hmacSha256Base64(key: HmacKey, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('base64')
}

/**
 * Compares two strings in time independent of where they differ. Both are hashed first so that
 * strings of different lengths are compared in constant time too.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest()
  const digestB = createHash('sha256').update(b, 'utf8').digest()
  return timingSafeEqual(digestA, digestB) && a === b
}
