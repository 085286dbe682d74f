import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ChecksumError,
  ConfigError,
  ConnectionError,
  ConnectionTimeoutError,
  DecodeError,
  RateLimitError,
  RestError,
  SequenceGapError,
  SubscriptionError,
  TickmeshError,
  truncate,
} from './errors'

describe('errors', () => {
  it('TickmeshError puts the short message, details and hint in the message', () => {
    const cause = new Error('root')
    const error = new TickmeshError('Something failed.', {
      venue: 'okx',
      hint: 'Do this next.',
      details: { symbol: 'BTC/USDT', attempt: 3, skipped: undefined, nested: { a: 1 } },
      cause,
    })
    expect(error.message).toBe(
      'Something failed.\n  symbol: BTC/USDT\n  attempt: 3\n  nested: {"a":1}\nHint: Do this next.',
    )
    expect(error.shortMessage).toBe('Something failed.')
    expect(error.code).toBe('TICKMESH_ERROR')
    expect(error.venue).toBe('okx')
    expect(error.hint).toBe('Do this next.')
    expect(error.isRetryable).toBe(false)
    expect(error.cause).toBe(cause)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('TickmeshError')
  })

  it('survives details that cannot be serialized', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(new TickmeshError('x', { details: { circular } }).message).toContain('circular: [object Object]')
  })

  it.each([
    [
      new ConnectionTimeoutError('wss://x', 10_000),
      ConnectionTimeoutError,
      'CONNECTION_TIMEOUT',
      true,
      ['wss://x', '10000'],
    ],
    [
      new ConnectionError('closed 1006', { venue: 'bybit' }),
      ConnectionError,
      'CONNECTION_ERROR',
      true,
      ['1006'],
    ],
    [
      new AuthenticationError('Login refused.', {
        clockDriftMs: 1500,
        localTime: 1,
        serverTime: 1501,
        hint: 'Sync the clock.',
      }),
      AuthenticationError,
      'AUTHENTICATION_ERROR',
      false,
      ['clockDriftMs: 1500', 'serverTime: 1501', 'Hint: Sync the clock.'],
    ],
    [
      new SubscriptionError('Refused.', { venueMessage: 'Invalid symbol' }),
      SubscriptionError,
      'SUBSCRIPTION_ERROR',
      false,
      ['venueMessage: Invalid symbol'],
    ],
    [
      new RateLimitError('Slow down.', { retryAfterMs: 2000 }),
      RateLimitError,
      'RATE_LIMIT',
      true,
      ['retryAfterMs: 2000'],
    ],
    [
      new SequenceGapError('Gap.', { expected: 11, received: 15 }),
      SequenceGapError,
      'SEQUENCE_GAP',
      true,
      ['expected: 11', 'received: 15'],
    ],
    [
      new ChecksumError('Checksum mismatch.', { expected: -1881014294, computed: 831078360 }),
      ChecksumError,
      'CHECKSUM_MISMATCH',
      true,
      ['expected: -1881014294', 'computed: 831078360'],
    ],
    [new DecodeError('Bad frame.', { raw: '{' }), DecodeError, 'DECODE_ERROR', false, ['Bad frame.']],
    [
      new ConfigError('Bad setting.', { isRetryable: true }),
      ConfigError,
      'CONFIG_ERROR',
      false,
      ['Bad setting.'],
    ],
    [
      new RestError('https://x/api', 503, 'unavailable'),
      RestError,
      'REST_ERROR',
      true,
      ['HTTP 503', 'body: unavailable'],
    ],
  ] as const)(
    '%s has its class, code, retryability and values',
    (error, type, code, retryable, fragments) => {
      expect(error).toBeInstanceOf(type)
      expect(error).toBeInstanceOf(TickmeshError)
      expect(error).toBeInstanceOf(Error)
      expect(error.code).toBe(code)
      expect(error.isRetryable).toBe(retryable)
      expect(error.name).toBe(type.name)
      for (const fragment of fragments) expect(error.message).toContain(fragment)
    },
  )

  it('connection timeouts carry a hint to act on', () => {
    const error = new ConnectionTimeoutError('wss://stream.binance.com', 5000)
    expect(error.hint).toMatch(/proxy|network/i)
    expect(error.endpoint).toBe('wss://stream.binance.com')
    expect(error.timeoutMs).toBe(5000)
  })

  it('REST errors: 4xx other than 429 are not retryable; the body is truncated', () => {
    expect(new RestError('u', 400, '').isRetryable).toBe(false)
    expect(new RestError('u', 429, '').isRetryable).toBe(true)
    expect(new RestError('u', null, '').isRetryable).toBe(true)
    expect(new RestError('u', 500, 'x'.repeat(1000)).message).toContain('…(1000 chars)')
  })

  it('DecodeError keeps at most 512 characters of the raw frame', () => {
    const error = new DecodeError('Bad.', { raw: 'y'.repeat(2000) })
    expect(error.raw!.startsWith('y'.repeat(512))).toBe(true)
    expect(error.raw!.length).toBeLessThan(600)
    expect(truncate('short', 10)).toBe('short')
  })
})
