import type { AnalysisRecord } from './analysis-record'
import type { DailyBudget } from './daily-budget'
import type { ModelUsageLine, SummaryRecord } from './output-records'

/** Totals per model and per outcome since start; the source of the cost/budget summary. */
export class CostLedger {
  private readonly models = new Map<string, ModelUsageLine>()
  private ok = 0
  private failed = 0
  private local = 0

  constructor(private readonly budget: DailyBudget | null) {}

  recordCall(model: string, ok: boolean, inputTokens: number, outputTokens: number, costUsd: number): void {
    let line = this.models.get(model)
    if (line === undefined) {
      line = { model, calls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }
      this.models.set(model, line)
    }
    line.calls++
    if (!ok) line.failedCalls++
    line.inputTokens += inputTokens
    line.outputTokens += outputTokens
    line.costUsd += costUsd
  }

  recordAnalysis(record: AnalysisRecord): void {
    if (record.status === 'failed') this.failed++
    else this.ok++
    if (record.source === 'local') this.local++
  }

  summary(now: number = Date.now()): SummaryRecord {
    const models = [...this.models.values()].map((line) => ({ ...line, costUsd: round8(line.costUsd) }))
    let total = 0
    for (const line of this.models.values()) total += line.costUsd
    return {
      type: 'summary',
      at: new Date(now).toISOString(),
      analyses: { ok: this.ok, failed: this.failed, local: this.local },
      models,
      totalCostUsd: round8(total),
      budget: this.budget?.snapshot() ?? null,
    }
  }
}

function round8(value: number): number {
  return Math.round(value * 1e8) / 1e8
}

/** One human line for stderr: `cost $0.0123 of $5.00 today (3 calls, 0 refused); 12 analyses ok, 1 failed`. */
export function formatSummary(summary: SummaryRecord): string {
  const budget = summary.budget
  const spend = budget
    ? `cost $${summary.totalCostUsd.toFixed(4)} this run, $${budget.spentUsd.toFixed(4)} of $${budget.limitUsd.toFixed(2)} today (${budget.calls} calls, ${budget.refused} refused${budget.exhausted ? ', budget spent' : ''})`
    : `cost $${summary.totalCostUsd.toFixed(4)} this run`
  const { ok, failed, local } = summary.analyses
  return `tickmesh-ai: ${spend}; ${ok} analyses ok (${local} local), ${failed} failed`
}
