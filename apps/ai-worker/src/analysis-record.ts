import type { AnalysisKind, AnalysisResult } from './analysis-schemas'
import type { SymbolFeatures } from './symbol-features'

export type AnalysisTrigger = 'digest' | 'anomaly' | 'request'

/** The features a model or the local analyst saw, rounded for reading. */
export interface InputsSummary {
  mid: number | null
  returnPct: number | null
  realizedVolatility: number | null
  zScore: number | null
  dispersionBps: number | null
  spreadBps: number | null
  spreadRatio: number | null
  volume: number
  volumeRatio: number | null
  tradeImbalance: number | null
  bookImbalance: number | null
  venues: string[]
  staleVenues: string[]
  disruptions: number
  windowMs: number
  historyMs: number
}

/** One NDJSON line per analysis of one symbol. */
export interface AnalysisRecord {
  type: 'analysis'
  kind: AnalysisKind
  symbol: string
  /** ISO time the analysis was produced. */
  at: string
  trigger: AnalysisTrigger
  /** `local` for the rule-based analyst, `model` for a language model's validated answer. */
  source: 'local' | 'model'
  /** The model's name, or `local`. */
  model: string
  status: 'ok' | 'failed'
  result: AnalysisResult | null
  error: { code: string; reason: string; message: string; hint: string | null } | null
  inputs: InputsSummary
  /** The call's wall time (ms); 0 for local analyses. */
  latencyMs: number
  /** Tokens of the whole call (several symbols share one batched call). */
  tokens: { input: number; output: number } | null
  /** This symbol's share of the call's cost (the call's cost ÷ symbols in the batch). */
  costUsd: number
  call: { id: string; symbols: number; attempts: number; costUsd: number } | null
  /** Why a local analysis stands where a model one was asked for (`model budget spent`). */
  note?: string
}

export function summarizeInputs(features: SymbolFeatures): InputsSummary {
  return {
    mid: features.mid,
    returnPct: features.return === null ? null : round(features.return * 100, 6),
    realizedVolatility: features.realizedVolatility === null ? null : round(features.realizedVolatility, 8),
    zScore: features.zScore === null ? null : round(features.zScore, 3),
    dispersionBps: features.dispersionBps === null ? null : round(features.dispersionBps, 2),
    spreadBps: features.spreadBps === null ? null : round(features.spreadBps, 3),
    spreadRatio: features.spreadRatio === null ? null : round(features.spreadRatio, 2),
    volume: round(features.volume, 8),
    volumeRatio: features.volumeRatio === null ? null : round(features.volumeRatio, 2),
    tradeImbalance: features.tradeImbalance === null ? null : round(features.tradeImbalance, 3),
    bookImbalance: features.bookImbalance === null ? null : round(features.bookImbalance, 3),
    venues: features.venues,
    staleVenues: features.staleVenues,
    disruptions: features.disruptions,
    windowMs: features.windowMs,
    historyMs: Math.round(features.historyMs),
  }
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
