import { describe, expect, it } from 'vitest'
import {
  intervalOfOkxChannel,
  okxCandleChannel,
  okxInstId,
  okxMarketOf,
  okxUnifiedSymbol,
} from './okx-symbols'

describe('okx symbols and channels', () => {
  it('maps instIds to unified symbols and markets', () => {
    expect(okxUnifiedSymbol('BTC-USDT')).toBe('BTC/USDT')
    expect(okxUnifiedSymbol('BTC-USDT-SWAP')).toBe('BTC/USDT:USDT')
    expect(okxUnifiedSymbol('BTC-USD-SWAP')).toBe('BTC/USD:BTC')
    expect(okxUnifiedSymbol('BTC-USD-220527')).toBeNull()
    expect(okxMarketOf('ETH-USDT-SWAP')).toBe('linear')
    expect(okxInstId('SOL', 'USDT', 'linear')).toBe('SOL-USDT-SWAP')
  })

  it('uses UTC-aligned candle channels for 6h and longer, and reads both spellings back', () => {
    expect(okxCandleChannel('1m')).toBe('candle1m')
    expect(okxCandleChannel('1h')).toBe('candle1H')
    expect(okxCandleChannel('1d')).toBe('candle1Dutc')
    expect(okxCandleChannel('1w')).toBe('candle1Wutc')
    expect(intervalOfOkxChannel('candle1Dutc')).toBe('1d')
    expect(intervalOfOkxChannel('candle1D')).toBe('1d')
    expect(intervalOfOkxChannel('candle7m')).toBeNull()
    expect(intervalOfOkxChannel('tickers')).toBeNull()
  })
})
