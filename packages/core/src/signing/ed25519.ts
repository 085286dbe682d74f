import { Buffer } from 'node:buffer'
import { createPrivateKey, type KeyObject, sign } from 'node:crypto'
import { ConfigError } from '../errors'

// Parsing a PEM costs far more than signing; a session signs many requests with one key.
const keyCache = new Map<string, KeyObject>()
const KEY_CACHE_MAX = 16

function ed25519Key(privateKeyPem: string): KeyObject {
  const cached = keyCache.get(privateKeyPem)
  if (cached !== undefined) return cached
  let key: KeyObject
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' })
  } catch (error) {
    // The error names neither the key nor its text: the PEM is a secret.
    throw new ConfigError('The Ed25519 private key could not be read as a PEM private key.', {
      hint: 'Pass the whole PKCS#8 PEM, including the "-----BEGIN PRIVATE KEY-----" and "-----END PRIVATE KEY-----" lines, with its newlines intact.',
      cause: error instanceof Error ? new Error(error.message) : undefined,
    })
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(`The private key is a ${String(key.asymmetricKeyType)} key, not Ed25519.`, {
      hint: 'Binance Ed25519 API keys need the Ed25519 private key you generated for them; use an HMAC secret otherwise.',
      details: { keyType: key.asymmetricKeyType },
    })
  }
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear()
  keyCache.set(privateKeyPem, key)
  return key
}

/** Ed25519 signature of the UTF-8 payload, base64 (Binance Ed25519 API keys). Throws `ConfigError` for a bad key. */
export function ed25519SignBase64(privateKeyPem: string, payload: string): string {
  return sign(null, Buffer.from(payload, 'utf8'), ed25519Key(privateKeyPem)).toString('base64')
}
