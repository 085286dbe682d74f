import { ConnectionTimeoutError, SubscriptionError } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import {
  EXIT_RUNTIME,
  EXIT_USAGE,
  exitCodeOf,
  formatError,
  UsageError,
  VenuesUnreachableError,
} from './errors'

describe('formatError', () => {
  it('prints one paragraph: what failed, the values, what to try; no stack', () => {
    const text = formatError(new ConnectionTimeoutError('wss://stream.binance.com:9443/stream', 10_000))
    expect(text.split('\n')).toHaveLength(1)
    expect(text).toContain('wss://stream.binance.com:9443/stream')
    expect(text).toContain('10000 ms')
    expect(text).toContain('--sim')
    expect(text).not.toMatch(/at .*\.ts:\d+/)
  })

  it('adds details the sentence does not already name, and the hint', () => {
    const text = formatError(
      new SubscriptionError('Binance has no spot instrument "BTC/USTD".', {
        hint: 'Did you mean "BTC/USDT"?',
        details: { symbol: 'BTC/USTD', market: 'spot', requestedAt: 1700000000000 },
      }),
    )
    expect(text).toBe(
      'Error: Binance has no spot instrument "BTC/USTD". (requestedAt: 1700000000000) Did you mean "BTC/USDT"?',
    )
  })

  it('names every unreachable venue with its endpoint and timeout', () => {
    const text = formatError(
      new VenuesUnreachableError([
        { venue: 'binance', endpoint: 'ws://127.0.0.1:9', timeoutMs: 500, reason: 'connection refused' },
        { venue: 'okx', endpoint: 'wss://ws.okx.com:8443', timeoutMs: 500, reason: null },
      ]),
    )
    expect(text).toContain('binance: no connection to ws://127.0.0.1:9 within 500 ms (connection refused)')
    expect(text).toContain('okx: no connection to wss://ws.okx.com:8443 within 500 ms')
    expect(text).toContain('--sim')
  })

  it('labels a plain Error as a bug to report', () => {
    expect(formatError(new Error('boom'))).toContain('bug')
  })
})

describe('exitCodeOf', () => {
  it('is 2 for usage errors and 1 for everything else', () => {
    expect(exitCodeOf(new UsageError('bad flag'))).toBe(EXIT_USAGE)
    expect(exitCodeOf(new ConnectionTimeoutError('wss://x', 1))).toBe(EXIT_RUNTIME)
    expect(exitCodeOf(new Error('x'))).toBe(EXIT_RUNTIME)
  })
})
