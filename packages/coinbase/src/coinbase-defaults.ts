/** The live Coinbase Exchange endpoints (the adapter appends the venue's paths). */
export const COINBASE_WS_URL = 'wss://ws-feed.exchange.coinbase.com'
export const COINBASE_REST_URL = 'https://api.exchange.coinbase.com'

/** Book levels per side emitted by default (the full book is kept; see the README). */
export const DEFAULT_BOOK_DEPTH = 50
/** Same as `DEFAULT_BOOK_DEPTH`, named like the other venues' constants (`BINANCE_DEFAULT_BOOK_DEPTH` …). */
export const COINBASE_DEFAULT_BOOK_DEPTH = DEFAULT_BOOK_DEPTH

/** Most trades one gap backfill fetches over REST before giving up with a `gap` event. */
export const DEFAULT_BACKFILL_LIMIT = 5_000

/** Live trades held per product while a backfill runs; beyond it the oldest are reported as a gap. */
export const DEFAULT_MAX_PENDING_TRADES = 10_000
