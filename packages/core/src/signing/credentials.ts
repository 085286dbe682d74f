import { inspect } from 'node:util'
import { ConfigError } from '../errors'

export interface CredentialsInput {
  apiKey: string
  /** HMAC secret (Coinbase: base64 as issued). */
  secret?: string
  /** OKX and Coinbase passphrase. */
  passphrase?: string
  /** Ed25519 private key in PEM (Binance Ed25519 API keys). */
  privateKeyPem?: string
}

const secrets = new WeakMap<Credentials, Readonly<Omit<CredentialsInput, 'apiKey'>>>()

/**
 * API credentials that never print their secret: `toString`, `util.inspect`, `JSON.stringify` and
 * error messages show only the key's first characters. Read the secret with `revealSecret`.
 */
export class Credentials {
  readonly apiKey: string

  constructor(input: CredentialsInput) {
    if (!input.apiKey)
      throw new ConfigError('Credentials need an apiKey.', {
        hint: 'Pass { apiKey, secret } from your environment.',
      })
    if (!input.secret && !input.privateKeyPem) {
      throw new ConfigError('Credentials need a secret or an Ed25519 privateKeyPem.', {
        hint: 'Set the secret from an environment variable; never commit it.',
        details: { apiKey: redact(input.apiKey) },
      })
    }
    this.apiKey = input.apiKey
    const hidden: Omit<CredentialsInput, 'apiKey'> = {}
    if (input.secret !== undefined) hidden.secret = input.secret
    if (input.passphrase !== undefined) hidden.passphrase = input.passphrase
    if (input.privateKeyPem !== undefined) hidden.privateKeyPem = input.privateKeyPem
    secrets.set(this, Object.freeze(hidden))
  }

  toString(): string {
    return `Credentials(${redact(this.apiKey)})`
  }

  toJSON(): { apiKey: string } {
    return { apiKey: redact(this.apiKey) }
  }

  [inspect.custom](): string {
    return this.toString()
  }
}

/** The hidden parts; only signing code should call this. */
export function revealSecret(credentials: Credentials): Readonly<Omit<CredentialsInput, 'apiKey'>> {
  return secrets.get(credentials) ?? {}
}

export function createCredentials(input: CredentialsInput): Credentials {
  return new Credentials(input)
}

export function redact(value: string): string {
  return value.length <= 4 ? '****' : `${value.slice(0, 4)}****`
}
