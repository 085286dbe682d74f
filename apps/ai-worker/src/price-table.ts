import { ConfigError } from '@tickmesh/core'

/** Dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number
  outputPerMTok: number
}

export type PriceTable = Readonly<Record<string, ModelPrice>>

/**
 * List prices (USD per million tokens) of the default models at the time of writing. Gateways resell
 * at their own rates: override with `--price model=in/out` or `prices` in the config file.
 */
export const DEFAULT_PRICES: PriceTable = {
  'claude-sonnet-4.5': { inputPerMTok: 3, outputPerMTok: 15 },
  'deepseek-v3.2': { inputPerMTok: 0.28, outputPerMTok: 0.42 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gemini-2.5-flash': { inputPerMTok: 0.3, outputPerMTok: 2.5 },
}

export interface TokenUsage {
  inputTokens: number
  outputTokens: number
}

/** The dollar cost of one response's token usage. */
export function costUsd(price: ModelPrice, usage: TokenUsage): number {
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000
}

export function priceOf(table: PriceTable, model: string): ModelPrice {
  const price = table[model]
  if (price === undefined) {
    throw new ConfigError(`No price is known for model "${model}", so its cost cannot be tracked.`, {
      details: { model, knownModels: Object.keys(table) },
      hint: `Add one: --price ${model}=<input $/MTok>/<output $/MTok>, e.g. --price ${model}=1/4.`,
    })
  }
  return price
}

/** Parses `model=in/out[,model=in/out]` (dollars per million tokens). */
export function parsePrices(text: string): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {}
  for (const entry of text.split(',')) {
    const trimmed = entry.trim()
    if (trimmed === '') continue
    const match = /^([^=\s]+)\s*=\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(trimmed)
    if (match === null) {
      throw new ConfigError(`Invalid price "${trimmed}".`, {
        hint: 'Write model=<input $/MTok>/<output $/MTok>, e.g. gpt-4.1=2/8.',
      })
    }
    prices[match[1]!] = { inputPerMTok: Number(match[2]), outputPerMTok: Number(match[3]) }
  }
  return prices
}
