import { Buffer } from 'node:buffer'
import { generateKeyPairSync, verify } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { readFixture } from '../../../../test-support/fixtures'
import { ConfigError } from '../errors'
import { ed25519SignBase64 } from './ed25519'
import { hmacSha256Base64, hmacSha256Hex, timingSafeEqualString } from './hmac'

function json<T>(venue: string, file: string): T {
  return JSON.parse(readFixture(venue, file)) as T
}

interface BinanceVector {
  secretKey: string
  payload: string
  signature: string
}

describe('HMAC signing against venue vectors', () => {
  const binance = json<Record<string, BinanceVector>>('binance', 'auth_test_vectors.json')

  it.each(['hmac_sha256_hex', 'hmac_sha256_hex_non_ascii'])('Binance %s', (name) => {
    const vector = binance[name]!
    expect(hmacSha256Hex(vector.secretKey, vector.payload)).toBe(vector.signature)
  })

  it('Binance WS API signed request: signature over the sorted params without signature', () => {
    const request = json<{ params: Record<string, string | number> }>(
      'binance',
      'doc_wsapi_signed_request_hmac_testvector.json',
    )
    const { signature, ...params } = request.params
    const payload = Object.keys(params)
      .sort()
      .map((key) => `${key}=${params[key]}`)
      .join('&')
    expect(hmacSha256Hex(binance.hmac_sha256_hex!.secretKey, payload)).toBe(signature)
  })

  it('Bybit auth: hex HMAC of "GET/realtime" + expires', () => {
    const vector = json<{ api_secret: string; expires: number; prehash: string; signature_hex: string }>(
      'bybit',
      'derived_auth_test_vector.json',
    )
    expect(`GET/realtime${vector.expires}`).toBe(vector.prehash)
    expect(hmacSha256Hex(vector.api_secret, vector.prehash)).toBe(vector.signature_hex)
  })

  it('OKX login: base64 HMAC of timestamp + "GET/users/self/verify"', () => {
    const vector = json<{ secretKey: string; timestamp: string; prehash: string; sign_base64: string }>(
      'okx',
      'derived_login_test_vector.json',
    )
    expect(`${vector.timestamp}GET/users/self/verify`).toBe(vector.prehash)
    expect(hmacSha256Base64(vector.secretKey, vector.prehash)).toBe(vector.sign_base64)
  })

  it('Coinbase: base64 HMAC keyed by the base64-decoded secret', () => {
    const vector = json<{ secret_base64: string; prehash: string; signature_base64: string }>(
      'coinbase',
      'derived_auth_test_vector.json',
    )
    const key = Buffer.from(vector.secret_base64, 'base64')
    expect(hmacSha256Base64(key, vector.prehash)).toBe(vector.signature_base64)
    // Using the base64 text itself as the key is the classic mistake; it must not match.
    expect(hmacSha256Base64(vector.secret_base64, vector.prehash)).not.toBe(vector.signature_base64)
  })
})

describe('ed25519SignBase64', () => {
  // RFC 8032 section 7.1, TEST 2: a 32-byte seed wrapped in a PKCS#8 DER prefix.
  const seed = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'
  const pkcs8 = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(seed, 'hex'),
  ])
  const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`

  it('reproduces the RFC 8032 test vector', () => {
    const expected = Buffer.from(
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
      'hex',
    ).toString('base64')
    expect(ed25519SignBase64(pem, 'r')).toBe(expected)
  })

  it('signs a Binance payload verifiably with a generated key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const payload = 'apiKey=abc&symbol=BTCUSDT&timestamp=1645423376532'
    const signature = ed25519SignBase64(privatePem, payload)
    expect(verify(null, Buffer.from(payload), publicKey, Buffer.from(signature, 'base64'))).toBe(true)
    expect(ed25519SignBase64(privatePem, payload)).toBe(signature) // deterministic
  })

  it('rejects a malformed or non-Ed25519 key with a ConfigError that does not echo the key', () => {
    const bogus = '-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldA==\n-----END PRIVATE KEY-----'
    let caught: unknown
    try {
      ed25519SignBase64(bogus, 'x')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect(String((caught as Error).message)).not.toContain('bm90LWEta2V5LXNlY3JldA')
    expect(inspect(caught)).not.toContain('bm90LWEta2V5LXNlY3JldA')
    expect((caught as ConfigError).hint).toMatch(/PEM/)

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString()
    expect(() => ed25519SignBase64(rsa, 'x')).toThrow(/rsa key, not Ed25519/)
  })
})

describe('timingSafeEqualString', () => {
  it('is true only for identical strings, of any length', () => {
    expect(timingSafeEqualString('abc', 'abc')).toBe(true)
    expect(timingSafeEqualString('abc', 'abd')).toBe(false)
    expect(timingSafeEqualString('abc', 'abcd')).toBe(false)
    expect(timingSafeEqualString('', '')).toBe(true)
    expect(timingSafeEqualString('é', 'é')).toBe(true)
  })
})
