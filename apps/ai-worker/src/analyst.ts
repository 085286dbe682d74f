import type { AnalysisRecord, AnalysisTrigger } from './analysis-record'
import { summarizeInputs } from './analysis-record'
import type { AnalysisKind, AnalysisResult } from './analysis-schemas'
import type { LocalAnalystThresholds } from './local-analyst'
import { DEFAULT_LOCAL_THRESHOLDS, localAnomaly, localSentiment, localSignal } from './local-analyst'
import type { DryRunRecord } from './output-records'
import type { SymbolFeatures } from './symbol-features'

/** Produces analyses of one kind for a batch of symbols. Never throws: failures are failed records. */
export interface Analyst {
  readonly name: string
  analyze(
    kind: AnalysisKind,
    batch: readonly SymbolFeatures[],
    trigger: AnalysisTrigger,
  ): Promise<Array<AnalysisRecord | DryRunRecord>>
}

export function localResult(
  kind: AnalysisKind,
  features: SymbolFeatures,
  thresholds: LocalAnalystThresholds = DEFAULT_LOCAL_THRESHOLDS,
): AnalysisResult {
  switch (kind) {
    case 'sentiment':
      return localSentiment(features)
    case 'anomaly':
      return localAnomaly(features, thresholds)
    case 'signal':
      return localSignal(features, thresholds)
  }
}

export function localRecord(
  kind: AnalysisKind,
  features: SymbolFeatures,
  trigger: AnalysisTrigger,
  thresholds: LocalAnalystThresholds = DEFAULT_LOCAL_THRESHOLDS,
  note?: string,
): AnalysisRecord {
  return {
    type: 'analysis',
    kind,
    symbol: features.symbol,
    at: new Date().toISOString(),
    trigger,
    source: 'local',
    model: 'local',
    status: 'ok',
    result: localResult(kind, features, thresholds),
    error: null,
    inputs: summarizeInputs(features),
    latencyMs: 0,
    tokens: null,
    costUsd: 0,
    call: null,
    ...(note === undefined ? {} : { note }),
  }
}

/** The embedded default: deterministic rules over the features, no network, no cost. */
export class LocalAnalyst implements Analyst {
  readonly name = 'local'
  constructor(private readonly thresholds: LocalAnalystThresholds = DEFAULT_LOCAL_THRESHOLDS) {}

  async analyze(
    kind: AnalysisKind,
    batch: readonly SymbolFeatures[],
    trigger: AnalysisTrigger,
  ): Promise<AnalysisRecord[]> {
    return batch.map((features) => localRecord(kind, features, trigger, this.thresholds))
  }
}
