import { ConfigError, formatSymbol, parseSymbol } from '@tickmesh/core'

/**
 * Treat prices quoted in `quote` as prices in `as`: `BTC/USD` joins `BTC/USDT` with every price
 * multiplied by `1 + basisBps / 10 000` (the value of one `quote` in `as`).
 */
export interface QuoteEquivalence {
  quote: string
  as: string
  /** Value of 1 `quote` in `as`, as a basis in bps (default 0: one for one). */
  basisBps?: number
}

/** Where a venue's unified symbol lands in the view. */
export interface SymbolRoute {
  /** The group key: the symbol with its quote (and settle) renamed to the equivalent quote. */
  group: string
  /** The source symbol's own quote currency. */
  quote: string
  /** Multiplier from the source quote into the group quote (1 when not converted). */
  factor: number
}

/** Parses `'USD=USDT'` shorthands and validates the rules. Throws `ConfigError`. */
export function resolveQuoteEquivalence(
  rules: readonly (QuoteEquivalence | string)[] | undefined,
): ReadonlyMap<string, { as: string; factor: number }> {
  const map = new Map<string, { as: string; factor: number }>()
  for (const rule of rules ?? []) {
    const parsed = typeof rule === 'string' ? parseShorthand(rule) : rule
    const basisBps = parsed.basisBps ?? 0
    if (!parsed.quote || !parsed.as || parsed.quote === parsed.as) {
      throw new ConfigError(`Quote equivalence "${describe(rule)}" must name two different currencies.`, {
        hint: "Write it as { quote: 'USD', as: 'USDT' } or the shorthand 'USD=USDT'.",
        details: { rule },
      })
    }
    if (!Number.isFinite(basisBps) || Math.abs(basisBps) >= 10_000) {
      throw new ConfigError(`Quote equivalence basis ${basisBps} bps is not a usable basis.`, {
        hint: 'Give basisBps as a finite number of basis points, e.g. -5 when one USD is worth 0.9995 USDT.',
        details: { rule },
      })
    }
    if (map.has(parsed.quote)) {
      throw new ConfigError(`Quote ${parsed.quote} has two equivalence rules.`, {
        hint: 'Give each source quote currency one rule.',
        details: { rule },
      })
    }
    map.set(parsed.quote.toUpperCase(), { as: parsed.as.toUpperCase(), factor: 1 + basisBps / 10_000 })
  }
  return map
}

/** The route of a unified symbol under the rules; called once per distinct symbol, then cached. */
export function routeSymbol(
  symbol: string,
  rules: ReadonlyMap<string, { as: string; factor: number }>,
): SymbolRoute {
  const parts = parseSymbol(symbol)
  if (!parts) return { group: symbol, quote: '', factor: 1 }
  const rule = rules.get(parts.quote)
  if (!rule) return { group: symbol, quote: parts.quote, factor: 1 }
  // A linear perpetual settles in its quote, so the settle currency follows the quote rename.
  const settle = parts.settle === parts.quote ? rule.as : parts.settle
  return {
    group: formatSymbol({ base: parts.base, quote: rule.as, settle }),
    quote: parts.quote,
    factor: rule.factor,
  }
}

function parseShorthand(text: string): QuoteEquivalence {
  const [quote = '', as = ''] = text.split('=').map((part) => part.trim().toUpperCase())
  return { quote, as }
}

function describe(rule: QuoteEquivalence | string): string {
  return typeof rule === 'string' ? rule : `${rule.quote}=${rule.as}`
}
