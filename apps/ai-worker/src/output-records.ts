import type { AnalysisRecord } from './analysis-record'
import type { AnalysisKind } from './analysis-schemas'
import type { BudgetSnapshot } from './daily-budget'

/** `--dry-run`: the prompt that would be sent and what it would cost at most. */
export interface DryRunRecord {
  type: 'dry-run'
  kind: AnalysisKind
  at: string
  model: string
  symbols: string[]
  system: string
  prompt: string
  estimatedInputTokens: number
  /** Input estimate plus a full-length answer, at the model's price. */
  estimatedCostUsd: number
}

export interface ModelUsageLine {
  model: string
  calls: number
  failedCalls: number
  inputTokens: number
  outputTokens: number
  costUsd: number
}

/** Running cost and budget, on exit and on SIGUSR2. */
export interface SummaryRecord {
  type: 'summary'
  at: string
  analyses: { ok: number; failed: number; local: number }
  models: ModelUsageLine[]
  totalCostUsd: number
  budget: BudgetSnapshot | null
}

/** Something the reader should know that is not an analysis (budget spent, feed trouble). */
export interface NoticeRecord {
  type: 'notice'
  at: string
  code: string
  message: string
}

export type OutputRecord = AnalysisRecord | DryRunRecord | SummaryRecord | NoticeRecord
