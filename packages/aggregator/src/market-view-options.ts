import type { VenueId } from '@tickmesh/core'
import { ConfigError } from '@tickmesh/core'
import type { OpportunityEvent } from './arbitrage-detector'
import type { QuoteEquivalence } from './quote-equivalence'
import type { PerVenue } from './venue-index'

/** Taker fees used when none are given (fractions: 0.001 = 0.10%). Check your own fee tier. */
export const DEFAULT_TAKER_FEES: Record<VenueId, number> = {
  binance: 0.001,
  bybit: 0.001,
  okx: 0.001,
  coinbase: 0.006,
}

export const DEFAULT_STALE_AFTER_MS = 5_000

/** Settings of `createMarketView`; plain data, every field optional. */
export interface MarketViewOptions {
  /**
   * A quote older than this (ms, by local receive time) is left out of best prices, summaries and
   * opportunities and reported as stale. One number or per venue. Default 5 000.
   */
  staleAfterMs?: PerVenue<number>
  /** Taker fee per venue as a fraction. Default binance/bybit/okx 0.001, coinbase 0.006. */
  takerFees?: PerVenue<number>
  /** Net edge (after both taker fees) an opportunity must exceed to open. Fraction, default 0.001. */
  threshold?: number
  /** An open opportunity closes below `threshold - hysteresis`. Fraction, default 0.0005. */
  hysteresis?: number
  /**
   * Quote notional for the L2 book walk: when both legs have fresh books, size and prices are the
   * VWAP of filling this notional. 0 sizes by top of book only. Default 10 000.
   */
  notional?: number
  /**
   * Minimum time (ms) between two `updated` events of one opportunity; a change of venue is always
   * reported and the opportunity itself stays current. Default 0: every change.
   */
  opportunityUpdateIntervalMs?: number
  /** Quotes treated as equivalent, e.g. `['USD=USDT']` or `[{ quote: 'USD', as: 'USDT', basisBps: -2 }]`. Default none. */
  quoteEquivalence?: readonly (QuoteEquivalence | string)[]
  /** L2 levels kept per side per venue per symbol. Default 50. */
  bookDepth?: number
  /** Distinct symbol groups kept; events for more are counted in `droppedEvents` and ignored. Default 1 000. */
  maxSymbols?: number
  /** Ring buffer sizes per symbol and venue. Default 2 048 mids and 2 048 trades. */
  history?: { mids?: number; trades?: number }
  /** Venue clock minus local clock (ms) per venue, for latency correction. Default 0. */
  clockOffsetMs?: PerVenue<number>
  /** Window of the message-rate figure in whole seconds (1–59). Default 10. */
  rateWindowSeconds?: number
  /**
   * Clock for staleness (ms since the epoch). Default: the latest `receivedAt` ingested, so a
   * recording replays exactly as it was received.
   */
  now?: () => number
  /** Called with every opportunity lifecycle event. */
  onOpportunity?: (event: OpportunityEvent) => void
}

export function validateOptions(options: MarketViewOptions): void {
  const threshold = options.threshold ?? 0.001
  const hysteresis = options.hysteresis ?? 0.0005
  check('threshold', threshold, Number.isFinite(threshold), 'a finite fraction such as 0.001 (0.1%)')
  check(
    'hysteresis',
    hysteresis,
    Number.isFinite(hysteresis) && hysteresis >= 0,
    'a non-negative fraction smaller than the threshold span, such as 0.0005',
  )
  const notional = options.notional ?? 10_000
  check(
    'notional',
    notional,
    Number.isFinite(notional) && notional >= 0,
    '0 (top of book only) or a positive quote amount',
  )
  const interval = options.opportunityUpdateIntervalMs ?? 0
  check(
    'opportunityUpdateIntervalMs',
    interval,
    Number.isFinite(interval) && interval >= 0,
    'a non-negative number of ms',
  )
  for (const [name, value, min] of [
    ['bookDepth', options.bookDepth, 1],
    ['maxSymbols', options.maxSymbols, 1],
    ['history.mids', options.history?.mids, 2],
    ['history.trades', options.history?.trades, 1],
  ] as const) {
    if (value !== undefined) {
      check(
        name,
        value,
        Number.isInteger(value) && value >= min && value <= 1_000_000,
        `an integer from ${min} to 1 000 000`,
      )
    }
  }
  for (const [name, value] of [
    ['staleAfterMs', options.staleAfterMs],
    ['takerFees', options.takerFees],
  ] as const) {
    const values = value === undefined ? [] : typeof value === 'number' ? [value] : Object.values(value)
    for (const entry of values) {
      // Infinity is a valid staleness limit: it turns staleness off (e.g. to study a recording).
      const valid = name === 'takerFees' ? Number.isFinite(entry) && entry >= 0 && entry < 0.1 : entry > 0
      check(
        name,
        entry,
        valid,
        name === 'takerFees'
          ? 'a fraction such as 0.001 for 0.10%'
          : 'a positive number of ms (Infinity: never stale)',
      )
    }
  }
}

function check(name: string, value: unknown, valid: boolean, expected: string): void {
  if (valid) return
  throw new ConfigError(`Market view setting ${name} = ${String(value)} is invalid.`, {
    hint: `Give ${name} as ${expected}.`,
    details: { [name]: value },
  })
}
