import { describe, expect, it } from 'vitest'
import type { SimInstrument } from '../sim-types'
import { formatPrice, formatSize, formatUnits, priceOf, toLots, toTicks } from './format-decimal'

const btc: SimInstrument = {
  venue: 'binance',
  market: 'spot',
  symbol: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.01,
  lotSize: 0.00001,
  priceDecimals: 2,
  sizeDecimals: 5,
}

describe('format-decimal', () => {
  it('prints ticks and lots exactly with the instrument decimals', () => {
    expect(formatPrice(btc, 6_000_012)).toBe('60000.12')
    expect(formatSize(btc, 3)).toBe('0.00003')
    expect(formatPrice(btc, 30)).toBe('0.30')
    expect(priceOf(btc, 6_000_012)).toBe(60000.12)
  })

  it('pads to more decimals (Binance prints 8) and trims when asked', () => {
    expect(formatPrice(btc, 6_000_010, { decimals: 8 })).toBe('60000.10000000')
    expect(formatPrice(btc, 6_000_010, { trim: true })).toBe('60000.1')
    expect(formatPrice(btc, 6_000_000, { trim: true })).toBe('60000')
  })

  it('handles negative and zero units', () => {
    expect(formatUnits(-5, 2)).toBe('-0.05')
    expect(formatUnits(0, 3)).toBe('0.000')
    expect(formatUnits(7, 0)).toBe('7')
  })

  it('parses client text back to ticks and lots', () => {
    expect(toTicks(btc, '60000.12')).toBe(6_000_012)
    expect(toLots(btc, '0.00003')).toBe(3)
  })
})
