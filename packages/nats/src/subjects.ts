import type { Market, MarketEvent, MarketEventKind, VenueId } from '@tickmesh/core'

/** Default first token of every tickmesh subject. */
export const DEFAULT_SUBJECT_PREFIX = 'tickmesh'

/** Token used where an event has no market or symbol (status and error events about a connection). */
export const EMPTY_TOKEN = '_'

/**
 * Makes a symbol usable as one subject token: `BTC/USDT` → `BTC-USDT`, `BTC/USDT:USDT` →
 * `BTC-USDT-USDT`. Dots, wildcards and whitespace (which would split or widen a subject) become `_`.
 */
export function subjectToken(text: string | null): string {
  if (text === null || text.length === 0) return EMPTY_TOKEN
  let token = ''
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (char === '/' || char === ':') token += '-'
    else if (char === '.' || char === '*' || char === '>' || char <= ' ') token += '_'
    else token += char
  }
  return token
}

/** `tickmesh.<kind>.<venue>.<market>.<symbol>` for an event (balances use the asset as the symbol). */
export function subjectOf(event: MarketEvent, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  switch (event.kind) {
    case 'status':
    case 'error':
      return `${prefix}.${event.kind}.${event.venue}.${event.market ?? EMPTY_TOKEN}.${subjectToken(event.symbol)}`
    case 'balance':
      return `${prefix}.balance.${event.venue}.${event.market}.${subjectToken(event.asset)}`
    default:
      return `${prefix}.${event.kind}.${event.venue}.${event.market}.${subjectToken(event.symbol)}`
  }
}

/** Which events a consumer wants; an absent or empty list means "all". */
export interface EventFilter {
  kinds?: readonly MarketEventKind[]
  venues?: readonly VenueId[]
  markets?: readonly Market[]
  /** Unified symbols (`BTC/USDT`). */
  symbols?: readonly string[]
}

/**
 * The narrowest single subject covering `filter` (nats-server 2.9 takes one filter subject per
 * consumer): a token with exactly one value is spelled out, anything else is `*`.
 */
export function filterSubject(filter: EventFilter = {}, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  const kind = single(filter.kinds)
  const venue = single(filter.venues)
  const market = single(filter.markets)
  const symbol = single(filter.symbols)
  // Always five tokens, never `>`: other tools' messages under the prefix (the AI worker's
  // `tickmesh.analysis.<kind>.<symbol>`) have another shape and stay out of event readers.
  return `${prefix}.${kind}.${venue}.${market}.${symbol === '*' ? '*' : subjectToken(symbol)}`
}

function single(values: readonly string[] | undefined): string {
  return values !== undefined && values.length === 1 ? values[0]! : '*'
}

/**
 * A predicate for what `filterSubject` cannot express (several symbols or venues); null when the
 * subject alone is exact.
 */
export function eventMatcher(filter: EventFilter = {}): ((event: MarketEvent) => boolean) | null {
  const kinds = setOf(filter.kinds)
  const venues = setOf(filter.venues)
  const markets = setOf(filter.markets)
  const symbols = setOf(filter.symbols)
  if (kinds === null && venues === null && markets === null && symbols === null) return null
  return (event) => {
    if (kinds !== null && !kinds.has(event.kind)) return false
    if (venues !== null && !venues.has(event.venue)) return false
    if (markets !== null && (event.market === null || !markets.has(event.market))) return false
    if (symbols !== null) {
      const symbol = 'symbol' in event ? event.symbol : null
      if (symbol === null || !symbols.has(symbol)) return false
    }
    return true
  }
}

function setOf(values: readonly string[] | undefined): Set<string> | null {
  return values === undefined || values.length < 2 ? null : new Set(values)
}
