import { ConfigError } from '@tickmesh/core'
import type { AnalysisTrigger } from './analysis-record'
import type { AnalysisKind } from './analysis-schemas'
import { ANALYSIS_KINDS } from './analysis-schemas'
import type { Analyst } from './analyst'
import type { FeatureTracker } from './feature-tracker'
import type { LocalAnalystThresholds } from './local-analyst'
import { anomalyScore, DEFAULT_LOCAL_THRESHOLDS } from './local-analyst'
import type { OutputRecord } from './output-records'
import type { SymbolFeatures } from './symbol-features'

export interface AnalysisWorkerOptions {
  tracker: FeatureTracker
  analyst: Analyst
  /** Receives every record (analyses, dry-run prompts). */
  onRecord: (record: OutputRecord) => void
  /** Periodic market digest (all kinds, all symbols). Default 5 minutes; 0 disables. */
  digestEveryMs?: number
  /**
   * The first digest comes this long after start rather than a whole period later, so a fresh start
   * shows analyses once the features have a baseline. Default `min(digestEveryMs, 60 000)`.
   */
  firstDigestAfterMs?: number
  /** Feature sampling and anomaly check cadence. Default 1 000 ms. */
  evaluateEveryMs?: number
  /** A local anomaly score at or above this asks for an anomaly analysis. Default 1 (a threshold reached). */
  anomalyScoreThreshold?: number
  /** A symbol triggers at most once per this period. Default 60 000 ms. */
  anomalyCooldownMs?: number
  thresholds?: LocalAnalystThresholds
  /** The clock of the features; default the tracker's view clock. */
  now?: () => number
}

/**
 * Decides when analyses run: a periodic digest, a local anomaly score over threshold (with a
 * per-symbol cooldown), or an explicit request; never per tick. Symbols are batched per analysis.
 * A run still in progress when the next digest is due makes that digest skip (counted), so a slow
 * gateway cannot pile up calls.
 */
export class AnalysisWorker {
  private readonly digestEveryMs: number
  private readonly evaluateEveryMs: number
  private readonly anomalyScoreThreshold: number
  private readonly anomalyCooldownMs: number
  private readonly thresholds: LocalAnalystThresholds
  private readonly lastTriggered = new Map<string, number>()
  private readonly running = new Set<Promise<void>>()
  private evaluateTimer: ReturnType<typeof setInterval> | null = null
  private digestTimer: ReturnType<typeof setInterval> | null = null
  private firstDigestTimer: ReturnType<typeof setTimeout> | null = null
  private digestInProgress = false
  private closed = false
  skippedDigests = 0
  digests = 0
  anomalyTriggers = 0

  constructor(private readonly options: AnalysisWorkerOptions) {
    this.digestEveryMs = options.digestEveryMs ?? 300_000
    this.evaluateEveryMs = options.evaluateEveryMs ?? 1_000
    this.anomalyScoreThreshold = options.anomalyScoreThreshold ?? 1
    this.anomalyCooldownMs = options.anomalyCooldownMs ?? 60_000
    this.thresholds = options.thresholds ?? DEFAULT_LOCAL_THRESHOLDS
    if (!(this.evaluateEveryMs > 0) || !(this.digestEveryMs >= 0)) {
      throw new ConfigError('Worker intervals must be positive.', {
        details: { evaluateEveryMs: this.evaluateEveryMs, digestEveryMs: this.digestEveryMs },
        hint: 'Use --digest-every 5m (or 0 to disable the digest).',
      })
    }
  }

  start(): void {
    if (this.closed || this.evaluateTimer !== null) return
    this.evaluateTimer = setInterval(() => this.evaluate(), this.evaluateEveryMs)
    if (this.digestEveryMs <= 0) return
    const firstAfter = this.options.firstDigestAfterMs ?? Math.min(this.digestEveryMs, 60_000)
    this.firstDigestTimer = setTimeout(() => {
      this.firstDigestTimer = null
      void this.digest('digest')
      this.digestTimer = setInterval(() => this.digest('digest'), this.digestEveryMs)
    }, firstAfter)
  }

  /** Samples features and asks for anomaly analyses of symbols whose local score crossed the threshold. */
  evaluate(): void {
    if (this.closed) return
    const tracker = this.options.tracker
    const now = this.options.now?.()
    tracker.sample(now)
    const flagged: SymbolFeatures[] = []
    for (const symbol of tracker.symbols) {
      const features = tracker.features(symbol, now)
      if (features.mid === null) continue
      if (anomalyScore(features, this.thresholds).score < this.anomalyScoreThreshold) continue
      const last = this.lastTriggered.get(symbol)
      if (last !== undefined && features.asOf - last < this.anomalyCooldownMs) continue
      this.lastTriggered.set(symbol, features.asOf)
      flagged.push(features)
    }
    if (flagged.length === 0) return
    this.anomalyTriggers++
    this.track(this.runKinds(['anomaly'], flagged, 'anomaly'))
  }

  /** Analyses every symbol with data now (all kinds unless given). Resolves when the records are out. */
  requestAnalysis(
    kinds: readonly AnalysisKind[] = ANALYSIS_KINDS,
    symbols?: readonly string[],
  ): Promise<void> {
    return this.digest('request', kinds, symbols)
  }

  private digest(
    trigger: AnalysisTrigger,
    kinds: readonly AnalysisKind[] = ANALYSIS_KINDS,
    symbols?: readonly string[],
  ): Promise<void> {
    if (this.closed) return Promise.resolve()
    if (trigger === 'digest' && this.digestInProgress) {
      this.skippedDigests++
      return Promise.resolve()
    }
    const tracker = this.options.tracker
    const now = this.options.now?.()
    tracker.sample(now)
    const batch: SymbolFeatures[] = []
    for (const symbol of symbols ?? tracker.symbols) {
      const features = tracker.features(symbol, now)
      if (features.mid !== null) batch.push(features)
    }
    if (batch.length === 0) return Promise.resolve()
    if (trigger === 'digest') {
      this.digests++
      this.digestInProgress = true
    }
    const run = this.runKinds(kinds, batch, trigger).finally(() => {
      if (trigger === 'digest') this.digestInProgress = false
    })
    this.track(run)
    return run
  }

  private async runKinds(
    kinds: readonly AnalysisKind[],
    batch: readonly SymbolFeatures[],
    trigger: AnalysisTrigger,
  ): Promise<void> {
    // The kinds go to different models, so they run side by side (the gateway caps concurrency).
    const results = await Promise.all(kinds.map((kind) => this.options.analyst.analyze(kind, batch, trigger)))
    for (const records of results) for (const record of records) this.options.onRecord(record)
  }

  private track(run: Promise<void>): void {
    const tracked = run.catch(() => undefined)
    this.running.add(tracked)
    void tracked.finally(() => this.running.delete(tracked))
  }

  /** Stops the timers and waits for analyses in flight (their records are still delivered). */
  async close(): Promise<void> {
    this.closed = true
    if (this.evaluateTimer !== null) clearInterval(this.evaluateTimer)
    if (this.digestTimer !== null) clearInterval(this.digestTimer)
    if (this.firstDigestTimer !== null) clearTimeout(this.firstDigestTimer)
    this.firstDigestTimer = null
    this.evaluateTimer = null
    this.digestTimer = null
    await Promise.all([...this.running])
  }
}
