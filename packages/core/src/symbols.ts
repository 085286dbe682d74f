import { SubscriptionError } from './errors'
import type { Market, VenueId } from './venues'

/** Parts of a unified symbol: `BTC/USDT` (spot) or `BTC/USDT:USDT` (perpetual settled in USDT). */
export interface SymbolParts {
  base: string
  quote: string
  /** Settlement currency of a derivative; null for spot. */
  settle: string | null
}

/** Quote currencies used to split a venue spelling such as `BTCUSDT`, longest first. */
export const KNOWN_QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'TUSD',
  'BUSD',
  'USD',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'JPY',
  'BTC',
  'ETH',
  'BNB',
  'DAI',
] as const

const UNIFIED = /^([A-Z0-9]{1,20})\/([A-Z0-9]{1,20})(?::([A-Z0-9]{1,20}))?$/

export function parseSymbol(symbol: string): SymbolParts | null {
  const match = UNIFIED.exec(symbol)
  if (!match) return null
  return { base: match[1]!, quote: match[2]!, settle: match[3] ?? null }
}

export function formatSymbol(parts: SymbolParts): string {
  return parts.settle ? `${parts.base}/${parts.quote}:${parts.settle}` : `${parts.base}/${parts.quote}`
}

/** The unified symbol for a market: linear perpetuals settle in the quote currency. */
export function unifiedSymbol(base: string, quote: string, market: Market): string {
  if (market === 'spot') return `${base}/${quote}`
  if (market === 'linear') return `${base}/${quote}:${quote}`
  return `${base}/${quote}:${base}`
}

/** Splits a concatenated venue spelling (`BTCUSDT`, `btc-usdt`) by the known quote list, or null. */
export function splitVenueSymbol(
  text: string,
  quotes: readonly string[] = KNOWN_QUOTES,
): { base: string; quote: string } | null {
  const cleaned = text
    .toUpperCase()
    .replace(/-SWAP$/, '')
    .replace(/[-_/]/g, '')
  for (const quote of quotes) {
    if (cleaned.length > quote.length && cleaned.endsWith(quote)) {
      return { base: cleaned.slice(0, -quote.length), quote }
    }
  }
  return null
}

/**
 * Validates a unified symbol and returns its parts. A venue spelling (`BTCUSDT`, `btcusdt`,
 * `BTC-USDT`) fails with a `SubscriptionError` whose hint names the unified spelling to use.
 */
export function assertUnifiedSymbol(
  symbol: string,
  market: Market = 'spot',
  venue: VenueId | null = null,
): SymbolParts {
  const parts = parseSymbol(symbol)
  if (parts) {
    if (market === 'spot' && parts.settle !== null) {
      throw new SubscriptionError(`"${symbol}" is a derivative symbol but the market is spot.`, {
        venue,
        hint: `Use "${parts.base}/${parts.quote}" for spot, or set market: 'linear' for the perpetual.`,
        details: { symbol, market },
      })
    }
    if (market !== 'spot' && parts.settle === null) {
      throw new SubscriptionError(`"${symbol}" is a spot symbol but the market is ${market}.`, {
        venue,
        hint: `Use "${unifiedSymbol(parts.base, parts.quote, market)}" for the ${market} perpetual.`,
        details: { symbol, market },
      })
    }
    return parts
  }
  const split = splitVenueSymbol(symbol)
  const suggestion = split ? unifiedSymbol(split.base, split.quote, market) : null
  throw new SubscriptionError(`"${symbol}" is not a unified symbol.`, {
    venue,
    hint: suggestion
      ? `Write it as "${suggestion}": tickmesh takes BASE/QUOTE (and BASE/QUOTE:SETTLE for perpetuals) on every venue.`
      : 'Write symbols as BASE/QUOTE, e.g. "BTC/USDT", or "BTC/USDT:USDT" for the linear perpetual.',
    details: { symbol, market },
  })
}

/** The candidate closest to `input` by edit distance (case-insensitive), or null when none is near. */
export function closestMatch(input: string, candidates: Iterable<string>, maxDistance = 3): string | null {
  const needle = input.toUpperCase()
  let best: string | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toUpperCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= maxDistance ? best : null
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
