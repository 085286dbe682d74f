import { describe, expect, it } from 'vitest'
import { SubscriptionError } from './errors'
import {
  assertUnifiedSymbol,
  closestMatch,
  formatSymbol,
  parseSymbol,
  splitVenueSymbol,
  unifiedSymbol,
} from './symbols'

function catchError(run: () => unknown): SubscriptionError {
  try {
    run()
  } catch (error) {
    if (error instanceof SubscriptionError) return error
    throw error
  }
  throw new Error('expected a SubscriptionError')
}

describe('symbols', () => {
  it.each(['BTCUSDT', 'btcusdt', 'BTC-USDT', 'btc_usdt'])(
    '%s given as unified → hint names "BTC/USDT"',
    (input) => {
      const error = catchError(() => assertUnifiedSymbol(input))
      expect(error.code).toBe('SUBSCRIPTION_ERROR')
      expect(error.hint).toContain('"BTC/USDT"')
      expect(error.message).toContain(input)
    },
  )

  it('suggests the linear perpetual spelling for a linear market', () => {
    expect(catchError(() => assertUnifiedSymbol('BTCUSDT', 'linear')).hint).toContain('"BTC/USDT:USDT"')
    expect(catchError(() => assertUnifiedSymbol('BTC/USDT', 'linear')).hint).toContain('"BTC/USDT:USDT"')
    expect(catchError(() => assertUnifiedSymbol('BTC/USDT:USDT', 'spot')).hint).toContain('"BTC/USDT"')
  })

  it('accepts unified symbols and returns their parts', () => {
    expect(assertUnifiedSymbol('BTC/USDT')).toEqual({ base: 'BTC', quote: 'USDT', settle: null })
    expect(assertUnifiedSymbol('BTC/USDT:USDT', 'linear')).toEqual({
      base: 'BTC',
      quote: 'USDT',
      settle: 'USDT',
    })
    expect(assertUnifiedSymbol('BTC/USD:BTC', 'inverse')).toEqual({
      base: 'BTC',
      quote: 'USD',
      settle: 'BTC',
    })
  })

  it('gives a generic hint when no quote can be recognised', () => {
    expect(catchError(() => assertUnifiedSymbol('XYZ')).hint).toContain('BASE/QUOTE')
  })

  it('parses, formats and builds unified symbols', () => {
    expect(parseSymbol('ETH/BTC')).toEqual({ base: 'ETH', quote: 'BTC', settle: null })
    expect(parseSymbol('eth/btc')).toBeNull()
    expect(formatSymbol({ base: 'ETH', quote: 'USDT', settle: 'USDT' })).toBe('ETH/USDT:USDT')
    expect(unifiedSymbol('BTC', 'USDT', 'spot')).toBe('BTC/USDT')
    expect(unifiedSymbol('BTC', 'USDT', 'linear')).toBe('BTC/USDT:USDT')
    expect(unifiedSymbol('BTC', 'USD', 'inverse')).toBe('BTC/USD:BTC')
  })

  it('splits venue spellings by the longest known quote', () => {
    expect(splitVenueSymbol('BTCFDUSD')).toEqual({ base: 'BTC', quote: 'FDUSD' })
    expect(splitVenueSymbol('BTC-USDT-SWAP')).toEqual({ base: 'BTC', quote: 'USDT' })
    expect(splitVenueSymbol('ETHBTC')).toEqual({ base: 'ETH', quote: 'BTC' })
    expect(splitVenueSymbol('USDT')).toBeNull()
  })

  it('closestMatch finds a near candidate case-insensitively, or null', () => {
    const candidates = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']
    expect(closestMatch('btc/usdc', candidates)).toBe('BTC/USDT')
    expect(closestMatch('ETH/USTD', candidates)).toBe('ETH/USDT')
    expect(closestMatch('DOGE/EUR', candidates)).toBeNull()
    expect(closestMatch('anything', [])).toBeNull()
  })
})
