import { safeParseJson } from '../safe-json'

// Cheap pre-filter: a frame that mentions none of these words cannot carry credentials, so market
// data (nearly every frame) is never parsed twice.
const SUSPECT = /sign|api_?key|passphrase|jwt|secret|auth|login|logon|private|token/i

// Field names that hold credentials or their proofs, lowercased.
const SENSITIVE_FIELDS = new Set([
  'signature',
  'sign',
  'apikey',
  'api_key',
  'passphrase',
  'jwt',
  'secret',
  'secretkey',
  'privatekey',
  'listenkey',
])

// `op`, `event` or `method` values of login/auth frames (requests and their answers).
const AUTH_OPERATIONS = new Set(['auth', 'login', 'session.logon'])

const MAX_WALK_DEPTH = 8

/**
 * True when a frame must not be written to a recording because it carries credentials or a login
 * exchange: JSON whose `op`/`event`/`method` is auth/login/session.logon, or that has a `signature`,
 * `sign`, `apiKey`, `passphrase`, `jwt` (…) field at any depth. A frame that mentions such a word but is
 * not valid JSON is treated as sensitive too: when in doubt, leave it out.
 */
export function isSensitiveFrame(text: string): boolean {
  if (!SUSPECT.test(text)) return false
  const parsed = safeParseJson(text)
  if (!parsed.success) return true
  return containsCredentials(parsed.value, 0)
}

function containsCredentials(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false
  if (depth > MAX_WALK_DEPTH) return true
  if (Array.isArray(value)) {
    for (const item of value) if (containsCredentials(item, depth + 1)) return true
    return false
  }
  for (const [key, field] of Object.entries(value)) {
    const name = key.toLowerCase()
    if (SENSITIVE_FIELDS.has(name)) return true
    if (
      (name === 'op' || name === 'event' || name === 'method') &&
      typeof field === 'string' &&
      AUTH_OPERATIONS.has(field.toLowerCase())
    ) {
      return true
    }
    if (containsCredentials(field, depth + 1)) return true
  }
  return false
}

const SENSITIVE_QUERY = /([?&](?:signature|sign|apiKey|api_key|passphrase|listenKey|timestamp_sig)=)[^&#]*/gi

/** The URL with credential query parameters (`signature`, `apiKey`, …) replaced by `REDACTED`. */
export function redactUrl(url: string): string {
  return url.replace(SENSITIVE_QUERY, '$1REDACTED')
}
