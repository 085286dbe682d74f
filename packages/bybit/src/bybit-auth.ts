import { hmacSha256Hex } from '@tickmesh/core'

/** `hex(HMAC_SHA256(secret, "GET/realtime" + expires))`, Bybit's private-stream signature. */
export function bybitAuthSignature(secret: string, expires: number): string {
  return hmacSha256Hex(secret, `GET/realtime${expires}`)
}

/** `{"req_id":…,"op":"auth","args":[apiKey, expires, signature]}`. */
export function buildBybitAuth(apiKey: string, secret: string, expires: number, requestId = 'auth'): string {
  return JSON.stringify({
    req_id: requestId,
    op: 'auth',
    args: [apiKey, expires, bybitAuthSignature(secret, expires)],
  })
}
