import type { DecodeContext } from '@tickmesh/core'

/** `BTC-USD` → `BTC/USD`. Coinbase products are always `BASE-QUOTE`, so the dash splits them exactly. */
export function unifiedFromProductId(productId: string): string | null {
  const dash = productId.indexOf('-')
  if (dash <= 0 || dash === productId.length - 1 || productId.indexOf('-', dash + 1) !== -1) return null
  return `${productId.slice(0, dash)}/${productId.slice(dash + 1)}`
}

/** `BTC/USD` → `BTC-USD`. */
export function productIdFromUnified(symbol: string): string {
  return symbol.replace('/', '-')
}

/** Products seen without an instruments cache; bounded, so garbage product ids cannot grow it. */
const splitCache = new Map<string, string | null>()
const SPLIT_CACHE_MAX = 4096

/** The unified symbol for a product id: the instruments cache first, then the dash split (memoized). */
export function symbolForProduct(productId: string, context: DecodeContext): string | null {
  const known = context.symbolOf?.(productId)
  if (known !== undefined) return known
  const cached = splitCache.get(productId)
  if (cached !== undefined) return cached
  const symbol = unifiedFromProductId(productId)
  if (splitCache.size >= SPLIT_CACHE_MAX) splitCache.clear()
  splitCache.set(productId, symbol)
  return symbol
}
