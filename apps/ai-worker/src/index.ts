// @tickmesh/ai-worker public API: the `tickmesh-ai` CLI and the pieces to embed it.

// --- CLI
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from './main'
export type { WorkerIo } from './main'
export { configFileSchema, resolveConfig } from './worker-config'
export type { ConfigFile, RawFlags, WorkerConfig } from './worker-config'
export { formatDuration, parseDuration } from './duration'

// --- analyses
export {
  ANALYSIS_KINDS,
  SIGNALS,
  anomalySchema,
  modelOutputSchemas,
  sentimentSchema,
  signalSchema,
} from './analysis-schemas'
export type {
  AnalysisKind,
  AnalysisResult,
  AnalysisResultByKind,
  AnomalyAnalysis,
  ModelOutputByKind,
  SentimentAnalysis,
  SignalAnalysis,
  TradingSignal,
} from './analysis-schemas'
export { summarizeInputs } from './analysis-record'
export type { AnalysisRecord, AnalysisTrigger, InputsSummary } from './analysis-record'
export type {
  DryRunRecord,
  ModelUsageLine,
  NoticeRecord,
  OutputRecord,
  SummaryRecord,
} from './output-records'
export { systemPrompt, userPrompt } from './analysis-prompts'

// --- features and the local analyst
export { FeatureTracker } from './feature-tracker'
export type { FeatureTrackerOptions } from './feature-tracker'
export type { SymbolFeatures } from './symbol-features'
export {
  DEFAULT_LOCAL_THRESHOLDS,
  anomalyScore,
  directionScore,
  localAnomaly,
  localSentiment,
  localSignal,
} from './local-analyst'
export type { AnomalyComponent, LocalAnalystThresholds } from './local-analyst'
export { LocalAnalyst, localRecord, localResult } from './analyst'
export type { Analyst } from './analyst'

// --- models, gateway, cost and budget
export { ModelAnalyst } from './model-analyst'
export type { ModelAnalystOptions } from './model-analyst'
export { GatewayClient, estimateTokens } from './gateway-client'
export type { GatewayClientOptions, ModelRequest, ModelResponse } from './gateway-client'
export { GATEWAY_PRESETS, presetBaseUrl } from './gateway-presets'
export type { GatewayPreset } from './gateway-presets'
export { DEFAULT_ROUTING, isAnalysisKind, parseRouting } from './model-routing'
export type { ModelRouting } from './model-routing'
export { DEFAULT_PRICES, costUsd, parsePrices, priceOf } from './price-table'
export type { ModelPrice, PriceTable, TokenUsage } from './price-table'
export { DailyBudget } from './daily-budget'
export type { BudgetReservation, BudgetSnapshot } from './daily-budget'
export { ConcurrencyLimiter } from './concurrency-limiter'
export { CostLedger, formatSummary } from './cost-ledger'
export { ModelCallError } from './model-call-error'
export type { ModelFailureReason } from './model-call-error'

// --- worker, sources and output
export { AnalysisWorker } from './analysis-worker'
export type { AnalysisWorkerOptions } from './analysis-worker'
export { openEventSource } from './event-source'
export type { EventSourceOptions, MarketEventSource } from './event-source'
export { NdjsonWriter } from './ndjson-writer'
export type { TextSink } from './ndjson-writer'
