import { ConfigError } from '@tickmesh/core'
import type { AnalysisKind } from './analysis-schemas'
import { ANALYSIS_KINDS } from './analysis-schemas'

/** Which model answers which analysis. */
export type ModelRouting = Readonly<Record<AnalysisKind, string>>

/** Sentiment needs judgement, anomalies are frequent and cheap, signals sit in between. */
export const DEFAULT_ROUTING: ModelRouting = {
  sentiment: 'claude-sonnet-4.5',
  anomaly: 'deepseek-v3.2',
  signal: 'gpt-4.1',
}

/** Parses `sentiment=…,anomaly=…,signal=…` (any subset) over `base`. */
export function parseRouting(text: string, base: ModelRouting = DEFAULT_ROUTING): ModelRouting {
  const routing: Record<AnalysisKind, string> = { ...base }
  for (const entry of text.split(',')) {
    const trimmed = entry.trim()
    if (trimmed === '') continue
    const [task, model, ...rest] = trimmed.split('=').map((part) => part.trim())
    if (task === undefined || model === undefined || model === '' || rest.length > 0) {
      throw new ConfigError(`Invalid model route "${trimmed}".`, {
        hint: 'Write task=model, e.g. --models sentiment=gpt-4.1,anomaly=deepseek-v3.2.',
      })
    }
    if (!isAnalysisKind(task)) {
      throw new ConfigError(`Unknown analysis "${task}" in --models.`, {
        details: { known: ANALYSIS_KINDS },
        hint: 'Route sentiment, anomaly or signal.',
      })
    }
    routing[task] = model
  }
  return routing
}

export function isAnalysisKind(value: string): value is AnalysisKind {
  return (ANALYSIS_KINDS as readonly string[]).includes(value)
}
