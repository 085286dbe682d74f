import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AuthenticationError, ConfigError } from '../errors'
import { createCredentials, redact, revealSecret } from './credentials'

const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const PASSPHRASE = 'correct-horse-battery'
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'

describe('Credentials', () => {
  const credentials = createCredentials({ apiKey: API_KEY, secret: SECRET, passphrase: PASSPHRASE })

  it('never prints the secret, the passphrase or the full key', () => {
    const renderings = [
      String(credentials),
      `${credentials}`,
      inspect(credentials),
      inspect({ nested: { credentials } }, { depth: 10 }),
      JSON.stringify(credentials),
      JSON.stringify({ settings: { credentials } }),
    ]
    for (const text of renderings) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(PASSPHRASE)
      expect(text).not.toContain(API_KEY)
      expect(text).toContain('vmPU****')
    }
  })

  it('stays hidden inside an error message and its details', () => {
    const error = new AuthenticationError('Login refused.', {
      venue: 'okx',
      details: { credentials },
      cause: new Error(`bad credentials ${String(credentials)}`),
    })
    for (const text of [error.message, inspect(error), String(error), JSON.stringify(error.details)]) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(PASSPHRASE)
    }
  })

  it('keeps the secret available to signing code', () => {
    expect(revealSecret(credentials)).toEqual({ secret: SECRET, passphrase: PASSPHRASE })
    expect(Object.keys(credentials)).toEqual(['apiKey'])
  })

  it('requires an apiKey and a secret or an Ed25519 key', () => {
    expect(() => createCredentials({ apiKey: '', secret: 's' })).toThrow(ConfigError)
    expect(() => createCredentials({ apiKey: 'abcdef' })).toThrow(/secret or an Ed25519 privateKeyPem/)
    expect(createCredentials({ apiKey: 'abcdef', privateKeyPem: 'pem' }).apiKey).toBe('abcdef')
  })

  it('redact keeps at most four characters', () => {
    expect(redact('abcdefgh')).toBe('abcd****')
    expect(redact('abc')).toBe('****')
  })
})
