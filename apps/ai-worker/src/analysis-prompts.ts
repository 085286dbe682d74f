import { z } from 'zod'
import { summarizeInputs } from './analysis-record'
import type { AnalysisKind } from './analysis-schemas'
import { modelOutputSchemas } from './analysis-schemas'
import type { SymbolFeatures } from './symbol-features'

const TASKS: Record<AnalysisKind, string> = {
  sentiment:
    'Judge the short-term market sentiment of each symbol (bullish, bearish or neutral) with a confidence from 0 to 1, the key factors behind it and a one-sentence recommendation.',
  anomaly:
    'Decide for each symbol whether the market is behaving anomalously (price far from its rolling mean, volume or spread spikes, venues disagreeing, feed disruptions) and give the reason in one sentence. The z-score is computed for you; do not recompute it.',
  signal:
    'Give each symbol one trading signal (STRONG_BUY, BUY, HOLD, SELL or STRONG_SELL) with a one-line rationale. Prefer HOLD when the data is thin, venues disagree or feeds are disrupted.',
}

const FIELD_GUIDE = [
  'mid: consolidated mid price across venues',
  'returnPct: price change over the watched part of the window (historyMs of windowMs), percent',
  'realizedVolatility: sqrt of summed squared log returns over the window (not annualized)',
  'zScore: latest mid against the rolling mean, in standard deviations (computed locally)',
  'dispersionBps: spread of venue mids, basis points',
  'spreadBps / spreadRatio: consolidated spread and its ratio to the usual spread',
  'volume / volumeRatio: base volume in the short window and its rate against the usual rate',
  'tradeImbalance / bookImbalance: (buy - sell) / total of taker volume and of top-of-book size, -1..1',
  'staleVenues / disruptions: venues left out as stale, and resyncs/reconnects/gaps in the window',
].join('\n')

const schemaText: Record<AnalysisKind, string> = {
  sentiment: JSON.stringify(z.toJSONSchema(modelOutputSchemas.sentiment)),
  anomaly: JSON.stringify(z.toJSONSchema(modelOutputSchemas.anomaly)),
  signal: JSON.stringify(z.toJSONSchema(modelOutputSchemas.signal)),
}

/** The system prompt of a task: the job, the field meanings and the exact JSON schema to answer with. */
export function systemPrompt(kind: AnalysisKind): string {
  return [
    'You are a careful crypto market analyst. You receive features computed from live order books and trades across several exchanges.',
    TASKS[kind],
    'Use only the numbers given. A null value means unknown, not zero.',
    `Fields:\n${FIELD_GUIDE}`,
    `Answer with only one JSON object, no prose and no code fences, matching this JSON schema (one entry in "analyses" per symbol given, same "symbol" spelling):\n${schemaText[kind]}`,
  ].join('\n\n')
}

/** The user prompt: every symbol of the batch with its features. */
export function userPrompt(kind: AnalysisKind, batch: readonly SymbolFeatures[]): string {
  const symbols = batch.map((features) => ({ symbol: features.symbol, ...summarizeInputs(features) }))
  return `Task: ${kind} for ${batch.length} symbol(s) at ${new Date(batch[0]?.asOf ?? 0).toISOString()}.\n${JSON.stringify(symbols)}`
}
