import type { OutputRecord } from '@tickmesh/ai-worker'
import type { MarketEvent } from '@tickmesh/core'
import type { FeedSource } from './dashboard-feed'
import type { AnalysisRow } from './dashboard-messages'

export interface AiAnalysesOptions {
  source: FeedSource
  symbols: readonly string[]
  onAnalysis: (row: AnalysisRow) => void
  /** Every symbol, every kind, this often (default 60 s). Anomalies are checked every second. */
  digestEveryMs?: number
  /** The first digest, once the features have some samples (default 15 s). */
  firstDigestAfterMs?: number
}

export interface AiAnalyses {
  close(): Promise<void>
}

/**
 * The AI worker in-process with its local (rule-based) analyst: sentiment, anomaly and signal per
 * symbol from the same market view the page draws. No model, no network, no cost. Loaded only
 * with --ai so the plain dashboard does not pull in the AI SDK.
 */
export async function startAiAnalyses(options: AiAnalysesOptions): Promise<AiAnalyses> {
  const { AnalysisWorker, FeatureTracker, LocalAnalyst } = await import('@tickmesh/ai-worker')
  const tracker = new FeatureTracker(options.source.view, { symbols: options.symbols })
  const worker = new AnalysisWorker({
    tracker,
    analyst: new LocalAnalyst(),
    onRecord: (record) => {
      const row = analysisRow(record)
      if (row !== null) options.onAnalysis(row)
    },
    digestEveryMs: options.digestEveryMs ?? 60_000,
  })
  const unsubscribe = options.source.onEvent((event: MarketEvent) => tracker.observe(event))
  worker.start()
  const first = setTimeout(() => {
    void worker.requestAnalysis().catch(() => undefined)
  }, options.firstDigestAfterMs ?? 15_000)
  return {
    close: async () => {
      clearTimeout(first)
      unsubscribe()
      await worker.close()
    },
  }
}

/** One line a trader reads, from an analysis record; null for records that are not analyses. */
export function analysisRow(record: OutputRecord): AnalysisRow | null {
  if (record.type === 'notice') {
    return { at: Date.parse(record.at), symbol: '', kind: 'notice', summary: record.message }
  }
  if (record.type !== 'analysis') return null
  const at = Date.parse(record.at)
  const base = { at: Number.isFinite(at) ? at : Date.now(), symbol: record.symbol, kind: record.kind }
  const result = record.result
  if (record.status !== 'ok' || result === null) {
    return { ...base, summary: `failed: ${record.error?.message ?? 'no result'}` }
  }
  if ('signal' in result) return { ...base, summary: `${result.signal} — ${result.rationale}` }
  if ('sentiment' in result) {
    return {
      ...base,
      summary: `${result.sentiment} (${Math.round(result.confidence * 100)}%) — ${result.recommendation}`,
    }
  }
  const z = result.zScore === null ? '' : ` z=${result.zScore.toFixed(2)}`
  return { ...base, summary: `${result.isAnomaly ? 'ANOMALY' : 'normal'}${z} — ${result.reason}` }
}
