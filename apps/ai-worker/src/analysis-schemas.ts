import { z } from 'zod'

// The three analyses a trader reads. A model's output must satisfy these schemas before it is passed
// on; the local analyst produces the same shapes.

export const ANALYSIS_KINDS = ['sentiment', 'anomaly', 'signal'] as const
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number]

export const SIGNALS = ['STRONG_BUY', 'BUY', 'HOLD', 'SELL', 'STRONG_SELL'] as const
export type TradingSignal = (typeof SIGNALS)[number]

export const sentimentSchema = z.object({
  sentiment: z.enum(['bullish', 'bearish', 'neutral']),
  confidence: z.number().min(0).max(1),
  keyFactors: z.array(z.string().min(1)).max(8),
  recommendation: z.string().min(1),
})

export const anomalySchema = z.object({
  isAnomaly: z.boolean(),
  /** The locally computed z-score of price against its rolling mean (never the model's own); null until there is a baseline. */
  zScore: z.number().nullable(),
  reason: z.string().min(1),
})

export const signalSchema = z.object({
  signal: z.enum(SIGNALS),
  rationale: z.string().min(1),
})

export type SentimentAnalysis = z.infer<typeof sentimentSchema>
export type AnomalyAnalysis = z.infer<typeof anomalySchema>
export type SignalAnalysis = z.infer<typeof signalSchema>

export interface AnalysisResultByKind {
  sentiment: SentimentAnalysis
  anomaly: AnomalyAnalysis
  signal: SignalAnalysis
}
export type AnalysisResult = AnalysisResultByKind[AnalysisKind]

// What a model is asked to return for a batch of symbols: one entry per symbol. The anomaly entry
// leaves out `zScore`, which is filled in from the local computation.
const symbolField = { symbol: z.string().min(1) }

export const modelOutputSchemas = {
  sentiment: z.object({ analyses: z.array(sentimentSchema.extend(symbolField)).min(1) }),
  anomaly: z.object({ analyses: z.array(anomalySchema.omit({ zScore: true }).extend(symbolField)).min(1) }),
  signal: z.object({ analyses: z.array(signalSchema.extend(symbolField)).min(1) }),
} as const

export type ModelOutputByKind = { [K in AnalysisKind]: z.infer<(typeof modelOutputSchemas)[K]> }
