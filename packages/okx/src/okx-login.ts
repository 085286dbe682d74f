import {
  AuthenticationError,
  ConfigError,
  type Credentials,
  hmacSha256Base64,
  revealSecret,
} from '@tickmesh/core'

/** The `login` op: `sign = base64(HMAC_SHA256(secret, timestamp + "GET" + "/users/self/verify"))`. */
export function buildOkxLogin(credentials: Credentials, timestampSeconds: string): string {
  const { secret, passphrase } = revealSecret(credentials)
  if (!secret || passphrase === undefined) {
    throw new ConfigError('OKX credentials need a secret and a passphrase.', {
      venue: 'okx',
      hint: 'Pass createCredentials({ apiKey, secret, passphrase }) as issued by OKX.',
    })
  }
  const sign = hmacSha256Base64(secret, `${timestampSeconds}GET/users/self/verify`)
  return JSON.stringify({
    op: 'login',
    args: [{ apiKey: credentials.apiKey, passphrase, timestamp: timestampSeconds, sign }],
  })
}

/** OKX login error codes that point at the clock rather than the key. */
const CLOCK_CODES = new Set(['60004', '60006'])

export interface LoginClock {
  /** Local clock when the login was signed. */
  localTime: number
  /** The venue's time as measured on `/api/v5/public/time`, or null when it could not be measured. */
  serverTime: number | null
}

/** Turns OKX's login refusal into an AuthenticationError that says whether the clock or the key is wrong. */
export function okxLoginError(code: string, msg: string, clock: LoginClock): AuthenticationError {
  const drift = clock.serverTime === null ? null : Math.round(clock.localTime - clock.serverTime)
  if (CLOCK_CODES.has(code)) {
    const driftText =
      drift === null
        ? 'could not be measured'
        : `${Math.abs(drift)} ms ${drift >= 0 ? 'ahead of' : 'behind'} OKX`
    return new AuthenticationError(
      `OKX refused the login (${code} ${msg}): the local clock is off (${driftText}).`,
      {
        venue: 'okx',
        clockDriftMs: drift,
        localTime: clock.localTime,
        serverTime: clock.serverTime,
        hint: 'OKX rejects logins whose timestamp is more than 30 s from its clock: sync the system clock (NTP) or keep useServerTime enabled.',
        details: { venueCode: code },
      },
    )
  }
  const which =
    code === '60005'
      ? 'the API key is unknown'
      : code === '60024'
        ? 'the passphrase is wrong'
        : code === '60007'
          ? 'the signature is wrong (wrong secret)'
          : 'the credentials were refused'
  return new AuthenticationError(`OKX refused the login (${code} ${msg}): ${which}.`, {
    venue: 'okx',
    clockDriftMs: drift,
    localTime: clock.localTime,
    serverTime: clock.serverTime,
    hint: 'Check the API key, secret and passphrase (and that the key is for this environment: live vs demo).',
    details: { venueCode: code },
  })
}
