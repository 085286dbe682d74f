import type { z } from 'zod'
import { systemPrompt, userPrompt } from './analysis-prompts'
import type { AnalysisRecord, AnalysisTrigger } from './analysis-record'
import { summarizeInputs } from './analysis-record'
import type { AnalysisKind, AnalysisResult, ModelOutputByKind } from './analysis-schemas'
import { modelOutputSchemas } from './analysis-schemas'
import type { Analyst } from './analyst'
import { localRecord } from './analyst'
import type { CostLedger } from './cost-ledger'
import type { GatewayClient } from './gateway-client'
import { estimateTokens } from './gateway-client'
import type { LocalAnalystThresholds } from './local-analyst'
import { DEFAULT_LOCAL_THRESHOLDS } from './local-analyst'
import { ModelCallError } from './model-call-error'
import type { ModelRouting } from './model-routing'
import type { DryRunRecord } from './output-records'
import type { SymbolFeatures } from './symbol-features'

export interface ModelAnalystOptions {
  gateway: GatewayClient
  routing: ModelRouting
  ledger: CostLedger
  /** Print prompts and estimated cost instead of calling. */
  dryRun?: boolean
  thresholds?: LocalAnalystThresholds
  /** Told once when the budget runs out (and again after it is replenished and runs out again). */
  onBudgetExhausted?: (message: string) => void
}

/**
 * Asks the routed model for one kind of analysis for a whole batch of symbols in one call. The
 * answer is validated per symbol; a symbol the model left out is a failed record. When the budget is
 * spent, local analyses stand in (labelled `local`, with a note) so the output does not go quiet.
 */
export class ModelAnalyst implements Analyst {
  readonly name = 'model'
  private budgetNoticeGiven = false
  private calls = 0

  constructor(private readonly options: ModelAnalystOptions) {}

  async analyze(
    kind: AnalysisKind,
    batch: readonly SymbolFeatures[],
    trigger: AnalysisTrigger,
  ): Promise<Array<AnalysisRecord | DryRunRecord>> {
    if (batch.length === 0) return []
    const model = this.options.routing[kind]
    const system = systemPrompt(kind)
    const prompt = userPrompt(kind, batch)
    const thresholds = this.options.thresholds ?? DEFAULT_LOCAL_THRESHOLDS
    if (this.options.dryRun === true) {
      return [
        {
          type: 'dry-run',
          kind,
          at: new Date().toISOString(),
          model,
          symbols: batch.map((features) => features.symbol),
          system,
          prompt,
          estimatedInputTokens: estimateTokens(system) + estimateTokens(prompt),
          estimatedCostUsd: this.options.gateway.estimateCostUsd(model, system, prompt),
        },
      ]
    }
    const response = await this.options.gateway.generate({
      model,
      system,
      prompt,
      // The union of the three schemas is one of them at run time; the SDK validates against it.
      schema: modelOutputSchemas[kind] as z.ZodType<ModelOutputByKind[AnalysisKind]>,
    })
    if (!response.ok && response.error.reason === 'budget') {
      if (!this.budgetNoticeGiven) {
        this.budgetNoticeGiven = true
        this.options.onBudgetExhausted?.(
          `${response.error.shortMessage} Local analyses continue (labelled local). ${response.error.hint ?? ''}`.trim(),
        )
      }
      return batch.map((features) => localRecord(kind, features, trigger, thresholds, 'model budget spent'))
    }
    this.budgetNoticeGiven = false
    this.options.ledger.recordCall(
      model,
      response.ok,
      response.usage.inputTokens,
      response.usage.outputTokens,
      response.costUsd,
    )
    const call = {
      id: `${kind}-${++this.calls}`,
      symbols: batch.length,
      attempts: response.attempts,
      costUsd: response.costUsd,
    }
    const base = {
      type: 'analysis' as const,
      kind,
      at: new Date().toISOString(),
      trigger,
      source: 'model' as const,
      model,
      latencyMs: Math.round(response.latencyMs),
      tokens: { input: response.usage.inputTokens, output: response.usage.outputTokens },
      costUsd: response.costUsd / batch.length,
      call,
    }
    if (!response.ok) {
      const error = errorFields(response.error)
      return batch.map((features) => ({
        ...base,
        symbol: features.symbol,
        status: 'failed' as const,
        result: null,
        error,
        inputs: summarizeInputs(features),
      }))
    }
    const bySymbol = new Map<string, ModelOutputByKind[typeof kind]['analyses'][number]>()
    for (const entry of response.value.analyses) bySymbol.set(entry.symbol, entry)
    return batch.map((features): AnalysisRecord => {
      const entry = bySymbol.get(features.symbol)
      if (entry === undefined) {
        return {
          ...base,
          symbol: features.symbol,
          status: 'failed',
          result: null,
          error: errorFields(
            new ModelCallError(`The model's answer left out ${features.symbol}.`, {
              reason: 'invalid-output',
              model,
              hint: 'Batches are validated per symbol; a smaller batch or another model may do better.',
            }),
          ),
          inputs: summarizeInputs(features),
        }
      }
      return {
        ...base,
        symbol: features.symbol,
        status: 'ok',
        result: toResult(kind, entry, features),
        error: null,
        inputs: summarizeInputs(features),
      }
    })
  }
}

function toResult(
  kind: AnalysisKind,
  entry: ModelOutputByKind[AnalysisKind]['analyses'][number],
  features: SymbolFeatures,
): AnalysisResult {
  const { symbol: _symbol, ...rest } = entry
  // The z-score is the local computation, never the model's arithmetic.
  if (kind === 'anomaly')
    return { ...(rest as { isAnomaly: boolean; reason: string }), zScore: features.zScore }
  return rest as AnalysisResult
}

function errorFields(error: ModelCallError): NonNullable<AnalysisRecord['error']> {
  return { code: error.code, reason: error.reason, message: error.shortMessage, hint: error.hint }
}
