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

/** The unified symbol for a product id: the instruments cache first, then the dash split. */
export function symbolForProduct(productId: string, context: DecodeContext): string | null {
  return context.symbolOf?.(productId) ?? unifiedFromProductId(productId)
}
