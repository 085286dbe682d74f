import type { AnomalyAnalysis, SentimentAnalysis, SignalAnalysis, TradingSignal } from './analysis-schemas'
import type { SymbolFeatures } from './symbol-features'

/** Thresholds of the rule-based analyst. Each is where a measure alone makes a symbol anomalous. */
export interface LocalAnalystThresholds {
  /** |z-score| of price against its rolling mean. Default 3. */
  zScore: number
  /** Short-window volume rate over the usual rate. Default 4. */
  volumeRatio: number
  /** Cross-venue mid range (bps). Default 25. */
  dispersionBps: number
  /** Spread over its rolling mean. Default 3. */
  spreadRatio: number
  /** Feed disruptions in the window. Default 3. */
  disruptions: number
}

export const DEFAULT_LOCAL_THRESHOLDS: LocalAnalystThresholds = {
  zScore: 3,
  volumeRatio: 4,
  dispersionBps: 25,
  spreadRatio: 3,
  disruptions: 3,
}

/** One measure's contribution to the anomaly score: its value over its threshold. */
export interface AnomalyComponent {
  measure: keyof LocalAnalystThresholds
  value: number
  threshold: number
  ratio: number
}

/**
 * The local anomaly score: the largest ratio of a measure to its threshold (1 = at threshold). It
 * decides whether a model is asked at all, so it must be cheap and explainable.
 */
export function anomalyScore(
  features: SymbolFeatures,
  thresholds: LocalAnalystThresholds = DEFAULT_LOCAL_THRESHOLDS,
): { score: number; components: AnomalyComponent[] } {
  const components: AnomalyComponent[] = []
  const add = (measure: keyof LocalAnalystThresholds, value: number | null): void => {
    if (value === null || !Number.isFinite(value)) return
    const threshold = thresholds[measure]
    components.push({ measure, value, threshold, ratio: value / threshold })
  }
  add('zScore', features.zScore === null ? null : Math.abs(features.zScore))
  add('volumeRatio', features.volumeRatio)
  add('dispersionBps', features.dispersionBps)
  add('spreadRatio', features.spreadRatio)
  add('disruptions', features.disruptions)
  components.sort((a, b) => b.ratio - a.ratio)
  return { score: components[0]?.ratio ?? 0, components }
}

const MEASURE_WORDS: Record<keyof LocalAnalystThresholds, string> = {
  zScore: 'price z-score',
  volumeRatio: 'volume vs usual',
  dispersionBps: 'cross-venue dispersion (bps)',
  spreadRatio: 'spread vs usual',
  disruptions: 'feed disruptions',
}

function describe(component: AnomalyComponent): string {
  const value = component.measure === 'zScore' ? component.value.toFixed(2) : round(component.value)
  return `${MEASURE_WORDS[component.measure]} ${value} (threshold ${component.threshold})`
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)
}

export function localAnomaly(
  features: SymbolFeatures,
  thresholds: LocalAnalystThresholds = DEFAULT_LOCAL_THRESHOLDS,
): AnomalyAnalysis {
  const { components } = anomalyScore(features, thresholds)
  const over = components.filter((component) => component.ratio >= 1)
  const zScore = features.zScore
  if (over.length > 0) {
    return { isAnomaly: true, zScore, reason: `Over threshold: ${over.map(describe).join('; ')}.` }
  }
  if (features.zScore === null) {
    return {
      isAnomaly: false,
      zScore,
      reason: `Not enough history for a z-score yet (${features.midSamples} samples); other measures within thresholds.`,
    }
  }
  return {
    isAnomaly: false,
    zScore,
    reason: `All measures within thresholds (|z| ${Math.abs(features.zScore).toFixed(2)}).`,
  }
}

/**
 * Direction score in [-1, 1] from trend (return against volatility), taker imbalance and book
 * imbalance. Weights favour what traded over what is merely quoted.
 */
export function directionScore(features: SymbolFeatures): { score: number; factors: string[] } {
  const factors: string[] = []
  let score = 0
  let weight = 0
  if (features.return !== null) {
    // A return measured in units of realized volatility: 1σ moves saturate tanh near 0.76.
    const scale =
      features.realizedVolatility !== null && features.realizedVolatility > 0
        ? features.realizedVolatility
        : 0.001
    const trend = Math.tanh(features.return / scale)
    score += 0.5 * trend
    weight += 0.5
    factors.push(
      `return ${(features.return * 100).toFixed(3)}% over ${Math.round(features.windowMs / 1000)} s`,
    )
  }
  if (features.tradeImbalance !== null) {
    score += 0.3 * features.tradeImbalance
    weight += 0.3
    factors.push(`taker imbalance ${features.tradeImbalance.toFixed(2)}`)
  }
  if (features.bookImbalance !== null) {
    score += 0.2 * features.bookImbalance
    weight += 0.2
    factors.push(`book imbalance ${features.bookImbalance.toFixed(2)}`)
  }
  return { score: weight > 0 ? score / weight : 0, factors }
}

export function localSentiment(features: SymbolFeatures): SentimentAnalysis {
  const { score, factors } = directionScore(features)
  const sentiment = score > 0.2 ? 'bullish' : score < -0.2 ? 'bearish' : 'neutral'
  // Confidence shrinks with missing inputs and with feed trouble: fewer facts, less certainty.
  const coverage = factors.length / 3
  const trouble = features.staleVenues.length > 0 || features.disruptions > 0 ? 0.5 : 1
  const strength = sentiment === 'neutral' ? 1 - Math.abs(score) / 0.2 : Math.min(1, Math.abs(score) / 0.6)
  const confidence = clamp01(Number((strength * coverage * trouble * 0.9).toFixed(2)))
  const keyFactors = factors.length > 0 ? factors : ['no trades or book data yet']
  if (features.staleVenues.length > 0) keyFactors.push(`stale venues: ${features.staleVenues.join(', ')}`)
  const recommendation =
    sentiment === 'neutral'
      ? 'No clear direction; wait for confirmation.'
      : `Leaning ${sentiment}; confirm with your own risk limits before acting.`
  return { sentiment, confidence, keyFactors, recommendation }
}

export function localSignal(
  features: SymbolFeatures,
  thresholds: LocalAnalystThresholds = DEFAULT_LOCAL_THRESHOLDS,
): SignalAnalysis {
  const { score } = directionScore(features)
  // Dislocated or disrupted feeds make any direction unreliable: hold rather than chase a glitch.
  const unreliable =
    (features.dispersionBps !== null && features.dispersionBps >= thresholds.dispersionBps) ||
    features.disruptions >= thresholds.disruptions ||
    features.venues.length === 0
  let signal: TradingSignal
  if (unreliable) signal = 'HOLD'
  else if (score >= 0.6) signal = 'STRONG_BUY'
  else if (score >= 0.2) signal = 'BUY'
  else if (score <= -0.6) signal = 'STRONG_SELL'
  else if (score <= -0.2) signal = 'SELL'
  else signal = 'HOLD'
  const rationale = unreliable
    ? 'Feeds disagree, are disrupted or missing; holding until data is reliable.'
    : `Direction score ${score.toFixed(2)} from trend, taker and book imbalance.`
  return { signal, rationale }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value))
}
