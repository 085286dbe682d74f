import { TickmeshError } from '@tickmesh/core'
import { Command, CommanderError } from 'commander'
import { AnalysisPublisher } from './analysis-publisher'
import { AnalysisWorker } from './analysis-worker'
import type { Analyst } from './analyst'
import { LocalAnalyst } from './analyst'
import { CostLedger, formatSummary } from './cost-ledger'
import { DailyBudget } from './daily-budget'
import { formatDuration } from './duration'
import type { MarketEventSource } from './event-source'
import { openEventSource } from './event-source'
import { FeatureTracker } from './feature-tracker'
import { GatewayClient } from './gateway-client'
import { ModelAnalyst } from './model-analyst'
import type { TextSink } from './ndjson-writer'
import { NdjsonWriter } from './ndjson-writer'
import type { OutputRecord } from './output-records'
import type { RawFlags, WorkerConfig } from './worker-config'
import { resolveConfig } from './worker-config'

export interface WorkerIo {
  stdout: TextSink
  stderr: TextSink
  env: Readonly<Record<string, string | undefined>>
  /** Aborting stops the worker as SIGINT does (tests, embedding). */
  signal?: AbortSignal
  /** Listen for SIGINT, SIGTERM and SIGUSR2 on the process. Default true. */
  handleSignals?: boolean
  /** Injected into the gateway client (tests). */
  fetch?: typeof globalThis.fetch
  /** Called once the worker runs, with `requestAnalysis` for on-demand analyses. */
  onStarted?: (controls: { requestAnalysis: () => Promise<void>; summary: () => void }) => void
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

function buildProgram(io: WorkerIo): Command {
  return new Command('tickmesh-ai')
    .description(
      'Sentiment, anomaly and signal analyses of the live cross-venue market, by language models through any OpenAI-compatible gateway or by the local rule-based analyst.',
    )
    .argument('[symbols...]', 'unified symbols (default BTC/USDT)')
    .option('--sim', 'run the simulator in-process (offline)')
    .option('--seed <n>', 'simulator seed')
    .option('--sim-tick <time>', 'simulator tick interval, e.g. 50ms')
    .option('--venues <list>', 'venues to connect, e.g. binance,okx (default all four)')
    .option('--from <url>', "a collector's stream, e.g. nats://127.0.0.1:4222")
    .option('--base-url <url>', 'OpenAI-compatible gateway base URL (or TICKMESH_AI_BASE_URL)')
    .option('--preset <name>', 'gateway preset: holysheep, openai or deepseek')
    .option('--config <file>', 'JSON config file (or TICKMESH_AI_CONFIG)')
    .option('--local', 'use the local rule-based analyst even when a key is set')
    .option('--dry-run', 'print prompts and estimated cost; call no model')
    .option('--models <routes>', 'sentiment=…,anomaly=…,signal=…')
    .option('--price <model=in/out>', 'price in $ per million tokens (repeatable)', collect, [])
    .option('--budget-usd <dollars>', 'daily model budget (default 5)')
    .option('--digest-every <time>', 'periodic market digest (default 5m; 0s disables)')
    .option('--evaluate-every <time>', 'feature sampling and anomaly check (default 1s)')
    .option('--window <time>', 'rolling feature window (default 5m)')
    .option('--short-window <time>', 'volume and imbalance window (default 30s)')
    .option('--anomaly-cooldown <time>', 'minimum time between anomaly calls per symbol (default 1m)')
    .option('--timeout <time>', 'per model request (default 30s)')
    .option('--max-retries <n>', 'retries of 429/5xx/network errors (default 3)')
    .option('--concurrency <n>', 'model calls in flight (default 4)')
    .option('--max-output-tokens <n>', 'answer length cap (default 1000)')
    .option('--structured-outputs', 'send the JSON schema as response_format (gateways that support it)')
    .option('--out <file>', 'append NDJSON to a file instead of stdout')
    .option('--publish <url>', 'also publish records to NATS, e.g. nats://127.0.0.1:4222')
    .option('--duration <time>', 'stop after this long')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

/** Runs `tickmesh-ai`; resolves with the exit code. Never throws. */
export async function main(argv: readonly string[], io: WorkerIo): Promise<number> {
  let config: WorkerConfig
  try {
    const program = buildProgram(io)
    program.parse([...argv], { from: 'user' })
    config = resolveConfig(program.processedArgs[0] as string[], program.opts<RawFlags>(), io.env)
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE
    io.stderr.write(`${describeError(error)}\n`)
    return EXIT_USAGE
  }
  try {
    return await run(config, io)
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n`)
    return error instanceof TickmeshError && error.code === 'CONFIG_ERROR' ? EXIT_USAGE : EXIT_FAILURE
  }
}

async function run(config: WorkerConfig, io: WorkerIo): Promise<number> {
  const useModel = !config.local && (config.dryRun || config.apiKey !== null)
  const budget = useModel ? new DailyBudget(config.budgetUsd) : null
  const ledger = new CostLedger(budget)
  const publisher = config.publish === undefined ? null : await AnalysisPublisher.connect(config.publish)
  const writer = new NdjsonWriter(config.out === undefined ? io.stdout : { path: config.out })
  const emit = (record: OutputRecord): void => {
    if (record.type === 'analysis') ledger.recordAnalysis(record)
    writer.write(record)
    publisher?.publish(record)
  }
  const notice = (code: string, message: string): void => {
    io.stderr.write(`tickmesh-ai: ${message}\n`)
    emit({ type: 'notice', at: new Date().toISOString(), code, message })
  }

  let gateway: GatewayClient | null = null
  let analyst: Analyst = new LocalAnalyst()
  if (useModel) {
    // The SDK warns on every call that json_object mode carries no schema; the schema is in the prompt.
    ;(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false
    gateway = new GatewayClient({
      baseUrl: config.baseUrl ?? 'http://127.0.0.1/v1',
      apiKey: config.apiKey ?? undefined,
      prices: config.prices,
      budget,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      concurrency: config.concurrency,
      maxOutputTokens: config.maxOutputTokens,
      structuredOutputs: config.structuredOutputs,
      ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    })
    analyst = new ModelAnalyst({
      gateway,
      routing: config.routing,
      ledger,
      dryRun: config.dryRun,
      onBudgetExhausted: (message) => notice('BUDGET_EXHAUSTED', message),
    })
  }

  let source: MarketEventSource
  try {
    source = await openEventSource({
      symbols: config.symbols,
      sim: config.sim,
      simSeed: config.simSeed,
      ...(config.simTickIntervalMs === undefined ? {} : { simTickIntervalMs: config.simTickIntervalMs }),
      ...(config.venues === undefined ? {} : { venues: config.venues }),
      ...(config.from === undefined ? {} : { from: config.from }),
    })
  } catch (error) {
    gateway?.close()
    await publisher?.close()
    await writer.close()
    throw error
  }
  let tracker: FeatureTracker
  let worker: AnalysisWorker
  try {
    tracker = new FeatureTracker(source.view, {
      symbols: config.symbols,
      windowMs: config.windowMs,
      shortWindowMs: config.shortWindowMs,
    })
    worker = new AnalysisWorker({
      tracker,
      analyst,
      onRecord: emit,
      digestEveryMs: config.digestEveryMs,
      evaluateEveryMs: config.evaluateEveryMs,
      anomalyCooldownMs: config.anomalyCooldownMs,
    })
  } catch (error) {
    gateway?.close()
    await source.close()
    await publisher?.close()
    await writer.close()
    throw error
  }
  const featureTracker = tracker
  const unsubscribe = source.onEvent((event) => featureTracker.observe(event))
  void source.ready.then((problems) => {
    for (const problem of problems) notice('SUBSCRIPTION_FAILED', problem)
  })

  const analystLine = useModel
    ? `${config.dryRun ? 'dry run, ' : ''}models ${Object.entries(config.routing)
        .map(([task, model]) => `${task}=${model}`)
        .join(', ')} via ${config.baseUrl ?? '(no gateway)'}, budget $${config.budgetUsd.toFixed(2)}/day`
    : `the local analyst${config.local ? '' : ' (no TICKMESH_AI_API_KEY)'}`
  io.stderr.write(
    `tickmesh-ai: ${config.symbols.join(', ')} from ${source.description} with ${analystLine}; digest every ${
      config.digestEveryMs > 0 ? formatDuration(config.digestEveryMs) : 'never'
    }${publisher === null ? '' : `; publishing to ${publisher.description}`}\n`,
  )

  const writeSummary = (): void => {
    const summary = ledger.summary()
    io.stderr.write(`${formatSummary(summary)}\n`)
    writer.write(summary)
    publisher?.publish(summary)
  }

  let stop: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const timers: Array<ReturnType<typeof setTimeout>> = []
  if (config.durationMs !== undefined) timers.push(setTimeout(stop, config.durationMs))
  const onAbort = (): void => stop()
  // The handlers are removed as shutdown begins, so a second Ctrl-C gets Node's default: quit at once.
  const onSignal = (): void => {
    io.stderr.write('tickmesh-ai: stopping (waiting for analyses in flight; Ctrl-C again to quit at once)\n')
    stop()
  }
  io.signal?.addEventListener('abort', onAbort, { once: true })
  if (io.signal?.aborted) stop()
  const handleSignals = io.handleSignals ?? true
  if (handleSignals) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    process.on('SIGUSR2', writeSummary)
  }

  worker.start()
  io.onStarted?.({ requestAnalysis: () => worker.requestAnalysis(), summary: writeSummary })
  try {
    await stopped
  } finally {
    for (const timer of timers) clearTimeout(timer)
    io.signal?.removeEventListener('abort', onAbort)
    if (handleSignals) {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      process.off('SIGUSR2', writeSummary)
    }
    await worker.close()
    gateway?.close()
    unsubscribe()
    await source.close()
    writeSummary()
    await publisher?.close()
  }
  const writeError = await writer.close()
  if (writeError !== null) {
    io.stderr.write(`tickmesh-ai: could not write the output: ${writeError.message}\n`)
    return EXIT_FAILURE
  }
  return EXIT_OK
}

function describeError(error: unknown): string {
  if (error instanceof TickmeshError) return `tickmesh-ai: ${error.message}`
  return `tickmesh-ai: ${error instanceof Error ? error.message : String(error)}`
}
