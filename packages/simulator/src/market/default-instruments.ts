import type { Market, VenueId } from '@tickmesh/core'
import type { SimInstrument } from '../sim-types'

// Default instruments: BTC, ETH, SOL against USDT on Binance, Bybit and OKX (spot + linear
// perpetuals) and against USD on Coinbase (spot only), with tick/lot sizes close to the real ones.

/** How a venue quotes: spread, how far its view of the fair price lags, and book depth per side. */
export interface VenueQuoting {
  spreadBps: number
  lagTicks: number
  depth: number
}

export const DEFAULT_VENUE_QUOTING: Record<VenueId, VenueQuoting> = {
  binance: { spreadBps: 1, lagTicks: 0, depth: 300 },
  bybit: { spreadBps: 1.5, lagTicks: 1, depth: 300 },
  okx: { spreadBps: 2, lagTicks: 2, depth: 400 },
  coinbase: { spreadBps: 3, lagTicks: 3, depth: 300 },
}

/** Starting fair prices per base asset; other bases start at 100. */
export const DEFAULT_FAIR_PRICES: Readonly<Record<string, number>> = { BTC: 60_000, ETH: 3_000, SOL: 150 }

/** Typical level size per base asset, in base currency. */
export const DEFAULT_LEVEL_SIZES: Readonly<Record<string, number>> = { BTC: 0.4, ETH: 4, SOL: 60 }

type Spec = [base: string, tickSize: number, lotSize: number, contractValue?: number]

const SPECS: Record<VenueId, Partial<Record<Market, Spec[]>>> = {
  binance: {
    spot: [
      ['BTC', 0.01, 0.00001],
      ['ETH', 0.01, 0.0001],
      ['SOL', 0.01, 0.001],
    ],
    linear: [
      ['BTC', 0.1, 0.001],
      ['ETH', 0.01, 0.001],
      ['SOL', 0.01, 0.01],
    ],
  },
  bybit: {
    spot: [
      ['BTC', 0.01, 0.000001],
      ['ETH', 0.01, 0.00001],
      ['SOL', 0.01, 0.001],
    ],
    linear: [
      ['BTC', 0.1, 0.001],
      ['ETH', 0.01, 0.01],
      ['SOL', 0.01, 0.1],
    ],
  },
  okx: {
    spot: [
      ['BTC', 0.1, 0.00000001],
      ['ETH', 0.01, 0.000001],
      ['SOL', 0.01, 0.000001],
    ],
    linear: [
      ['BTC', 0.1, 0.01, 0.01],
      ['ETH', 0.01, 0.01, 0.1],
      ['SOL', 0.01, 0.01, 1],
    ],
  },
  coinbase: {
    spot: [
      ['BTC', 0.01, 0.00000001],
      ['ETH', 0.01, 0.00000001],
      ['SOL', 0.01, 0.001],
    ],
  },
}

function decimalsOf(step: number): number {
  const text = step.toFixed(12).replace(/0+$/, '')
  const dot = text.indexOf('.')
  return dot < 0 ? 0 : text.length - dot - 1
}

/** The venue's spelling of an instrument. */
export function venueSymbolOf(venue: VenueId, market: Market, base: string, quote: string): string {
  if (venue === 'okx') return market === 'spot' ? `${base}-${quote}` : `${base}-${quote}-SWAP`
  if (venue === 'coinbase') return `${base}-${quote}`
  return `${base}${quote}`
}

export function defaultInstruments(
  venues: readonly VenueId[] = ['binance', 'bybit', 'okx', 'coinbase'],
): SimInstrument[] {
  const instruments: SimInstrument[] = []
  for (const venue of venues) {
    const quote = venue === 'coinbase' ? 'USD' : 'USDT'
    for (const market of ['spot', 'linear'] as const) {
      for (const [base, tickSize, lotSize, contractValue] of SPECS[venue][market] ?? []) {
        const instrument: SimInstrument = {
          venue,
          market,
          symbol: market === 'spot' ? `${base}/${quote}` : `${base}/${quote}:${quote}`,
          venueSymbol: venueSymbolOf(venue, market, base, quote),
          base,
          quote,
          tickSize,
          lotSize,
          priceDecimals: decimalsOf(tickSize),
          sizeDecimals: decimalsOf(lotSize),
        }
        if (contractValue !== undefined) instrument.contractValue = contractValue
        instruments.push(instrument)
      }
    }
  }
  return instruments
}
