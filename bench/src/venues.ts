import { createBinance, createBinanceFrameProcessor, decodeBinance } from '@tickmesh/binance'
import { createBybit, createBybitFrameProcessor, decodeBybit } from '@tickmesh/bybit'
import { createCoinbase, createCoinbaseFrameProcessor, decodeCoinbase } from '@tickmesh/coinbase'
import type {
  AdapterSettings,
  Decoder,
  FrameProcessor,
  FrameProcessorOptions,
  VenueAdapter,
  VenueId,
} from '@tickmesh/core'
import { createOkx, createOkxFrameProcessor, decodeOkx } from '@tickmesh/okx'

/** The channels the decode table covers. */
export type BenchChannel = 'ticker' | 'trade' | 'bbo' | 'book'

export interface VenueUnderTest {
  venue: VenueId
  /** Unified symbols the benches subscribe to (Coinbase quotes in USD). */
  symbols: readonly [string, string]
  decode: Decoder
  createAdapter: (settings: AdapterSettings) => VenueAdapter
  createProcessor: (options: FrameProcessorOptions) => FrameProcessor & { close?: () => void }
  /** Which channel a raw data frame belongs to; null for control frames (acks, pongs, heartbeats). */
  classify: (frame: string) => BenchChannel | null
}

export const VENUES_UNDER_TEST: readonly VenueUnderTest[] = [
  {
    venue: 'binance',
    symbols: ['BTC/USDT', 'ETH/USDT'],
    decode: decodeBinance,
    createAdapter: createBinance,
    createProcessor: createBinanceFrameProcessor,
    classify: (frame) => {
      if (frame.includes('"e":"aggTrade"') || frame.includes('"e":"trade"')) return 'trade'
      if (frame.includes('"e":"24hrTicker"')) return 'ticker'
      if (frame.includes('"e":"depthUpdate"')) return 'book'
      if (frame.includes('"b":') && frame.includes('"A":') && !frame.includes('"e":')) return 'bbo'
      return null
    },
  },
  {
    venue: 'bybit',
    symbols: ['BTC/USDT', 'ETH/USDT'],
    decode: decodeBybit,
    createAdapter: createBybit,
    createProcessor: createBybitFrameProcessor,
    classify: (frame) => {
      if (frame.includes('"topic":"publicTrade.')) return 'trade'
      if (frame.includes('"topic":"tickers.')) return 'ticker'
      if (frame.includes('"topic":"orderbook.1.')) return 'bbo'
      if (frame.includes('"topic":"orderbook.')) return 'book'
      return null
    },
  },
  {
    venue: 'okx',
    symbols: ['BTC/USDT', 'ETH/USDT'],
    decode: decodeOkx,
    createAdapter: createOkx,
    createProcessor: createOkxFrameProcessor,
    classify: (frame) => {
      if (frame.includes('"event":')) return null
      if (frame.includes('"channel":"trades"')) return 'trade'
      if (frame.includes('"channel":"tickers"')) return 'ticker'
      if (frame.includes('"channel":"bbo-tbt"')) return 'bbo'
      if (frame.includes('"channel":"books')) return 'book'
      return null
    },
  },
  {
    venue: 'coinbase',
    symbols: ['BTC/USD', 'ETH/USD'],
    decode: decodeCoinbase,
    createAdapter: createCoinbase,
    createProcessor: createCoinbaseFrameProcessor,
    classify: (frame) => {
      if (frame.includes('"type":"match"') || frame.includes('"type":"last_match"')) return 'trade'
      if (frame.includes('"type":"ticker"')) return 'ticker'
      if (frame.includes('"type":"l2update"') || frame.includes('"type":"snapshot"')) return 'book'
      return null
    },
  },
]
