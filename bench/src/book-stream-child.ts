// One order-book client (tickmesh or ccxt pro's watchOrderBook) in its own process, so its CPU time
// (process.cpuUsage) is its own. Started by book-stream-bench.ts; replies once over IPC.
import { createCredentials, type VenueId } from '@tickmesh/core'
import { COINBASE_SIM_ACCOUNT, ccxtClient } from './consumers'
import { VENUES_UNDER_TEST } from './venues'

export type BookClient = 'tickmesh' | 'ccxt'

export interface BookChildConfig {
  client: BookClient
  venue: VenueId
  ws: string
  rest: string
  warmupMs: number
  durationMs: number
}

export interface BookChildResult {
  client: BookClient
  venue: VenueId
  /** Book messages the client handled inside the measured window. */
  updates: number
  /** ccxt: times watchOrderBook resolved (it coalesces updates that arrive together); tickmesh: = updates. */
  callbacks: number
  /** user + system CPU time in the window, µs. */
  cpuMicros: number
  windowMs: number
  /** exchange timestamp → user callback, ms, sorted. */
  latenciesMs: number[]
  error?: string
}

const MAX_SAMPLES = 200_000
const wallMs = (): number => performance.timeOrigin + performance.now()
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

class Window {
  measuring = false
  updates = 0
  callbacks = 0
  filled = 0
  readonly samples = new Float64Array(MAX_SAMPLES)
  firstSeen: () => void = () => undefined
  readonly first = new Promise<void>((resolve) => {
    this.firstSeen = resolve
  })

  update(): void {
    if (this.measuring) this.updates++
  }

  callback(exchangeTime: number | null | undefined): void {
    this.firstSeen()
    if (!this.measuring) return
    this.callbacks++
    if (this.filled < MAX_SAMPLES && typeof exchangeTime === 'number' && Number.isFinite(exchangeTime)) {
      this.samples[this.filled++] = wallMs() - exchangeTime
    }
  }
}

async function measure(
  config: BookChildConfig,
  window: Window,
): Promise<Omit<BookChildResult, 'client' | 'venue'>> {
  await Promise.race([
    window.first,
    sleep(20_000).then(() => {
      throw new Error('no book update within 20 s')
    }),
  ])
  await sleep(config.warmupMs)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  window.measuring = true
  await sleep(config.durationMs)
  window.measuring = false
  const cpu = process.cpuUsage(cpu0)
  const windowMs = performance.now() - t0
  return {
    updates: window.updates,
    callbacks: window.callbacks,
    cpuMicros: cpu.user + cpu.system,
    windowMs,
    latenciesMs: Array.from(window.samples.subarray(0, window.filled)).sort((a, b) => a - b),
  }
}

async function runTickmesh(config: BookChildConfig): Promise<BookChildResult> {
  const venue = VENUES_UNDER_TEST.find((candidate) => candidate.venue === config.venue)
  if (venue === undefined) throw new Error(`bench: unknown venue ${config.venue}`)
  const window = new Window()
  // Coinbase: the authenticated level2 channel, the stream ccxt subscribes to.
  const signed =
    config.venue === 'coinbase'
      ? { credentials: createCredentials({ ...COINBASE_SIM_ACCOUNT }), authenticatedBook: true }
      : {}
  const adapter = venue.createAdapter({ wsUrl: config.ws, restUrl: config.rest, ...signed })
  try {
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: [venue.symbols[0]] },
      {
        onEvent: (event) => {
          if (event.kind !== 'book') return
          window.update()
          window.callback(event.exchangeTime)
        },
      },
    )
    await subscription.ready
    return { client: 'tickmesh', venue: config.venue, ...(await measure(config, window)) }
  } finally {
    await adapter.close()
  }
}

interface CcxtHooks {
  handleMessage: (client: unknown, message: unknown) => unknown
}

async function runCcxt(config: BookChildConfig): Promise<BookChildResult> {
  const { exchange, symbol } = ccxtClient(config.venue, config.ws, config.rest, true)
  const window = new Window()
  // watchOrderBook resolves once for updates that arrive together: count the messages ccxt handled.
  const hooks = exchange as unknown as CcxtHooks
  const original = hooks.handleMessage.bind(exchange)
  hooks.handleMessage = (client, message) => {
    const result = original(client, message)
    window.update()
    return result
  }
  let stop = false
  let failure: string | undefined
  try {
    await exchange.loadHttpProxyAgent()
    await exchange.loadMarkets()
    const loop = (async () => {
      while (!stop) {
        const book = await exchange.watchOrderBook(symbol)
        window.callback(book.timestamp)
      }
    })().catch((error: unknown) => {
      if (!stop) failure = String(error)
    })
    const result = await measure(config, window)
    stop = true
    void loop
    const out: BookChildResult = { client: 'ccxt', venue: config.venue, ...result }
    if (failure !== undefined) out.error = failure
    return out
  } finally {
    await exchange.close()
  }
}

const config = JSON.parse(process.env.TICKMESH_BENCH_BOOK ?? '{}') as BookChildConfig
const run = config.client === 'ccxt' ? runCcxt : runTickmesh
run(config).then(
  (result) => {
    process.send?.(result, () => process.exit(0))
  },
  (error: unknown) => {
    const failed: BookChildResult = {
      client: config.client,
      venue: config.venue,
      updates: 0,
      callbacks: 0,
      cpuMicros: 0,
      windowMs: 0,
      latenciesMs: [],
      error: String(error),
    }
    process.send?.(failed, () => process.exit(0))
  },
)
