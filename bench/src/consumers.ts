// The consumers compared end to end on identical streams from the producer: a bare `ws` client
// (counting frames, or JSON.parse-ing them), a tickmesh adapter (user callback per trade event) and
// ccxt pro's watchTrades with only its URLs pointed at the producer and the simulator.
import type { VenueId } from '@tickmesh/core'
import { WebSocket } from 'ws'
import { ccxtClient, type ProExchange } from '../../packages/simulator/src/third-party/ccxt-sim-client'
import { nowMs } from './measure'
import type { Producer, StatusResult } from './producer/start-producer'
import { isoToMs, type StreamChannel, stampOf } from './producer/trade-frames'
import type { VenueUnderTest } from './venues'

export type ConsumerKind = 'ws' | 'ws+JSON.parse' | 'tickmesh' | 'ccxt'

export type Plan =
  | { channel: StreamChannel; mode: 'firehose'; count: number }
  | { channel: StreamChannel; mode: 'rate'; rate: number; durationMs: number }

export interface StreamResult {
  consumer: ConsumerKind
  expected: number
  received: number
  /** Receive-side throughput: messages from the first to the last received, per second. */
  perSecond: number
  /** Latency samples in ms (send stamp → callback), sorted, warm-up dropped; rate mode only. */
  latenciesMs: Float64Array | null
  /**
   * tickmesh only: socket receive stamp (`event.receivedAt`) → callback, per message, sorted: the
   * time the adapter itself adds, measured in the same run and free of the sender's scheduling.
   */
  processingMs: Float64Array | null
  error?: string
}

export interface E2eContext {
  producer: Producer
  /** Simulator REST base URL per venue (instruments, snapshots). */
  rest: Record<VenueId, string>
  /** What the tickmesh adapter's connection asked for (per `venue:channel`), replayed by the bare clients. */
  handshakes: Map<string, StatusResult>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function expectedOf(plan: Plan): number {
  return plan.mode === 'firehose' ? plan.count : Math.round((plan.rate * plan.durationMs) / 1000)
}

/** Counts messages and records latencies; resolves when the expected count arrived. */
export class Meter {
  count = 0
  first = 0
  last = 0
  private filled = 0
  private readonly samples: Float64Array | null
  private processingFilled = 0
  private readonly processing: Float64Array | null
  private resolveDone: (() => void) | null = null
  readonly done: Promise<void>

  constructor(
    readonly expected: number,
    withLatency: boolean,
    withProcessing = false,
  ) {
    this.samples = withLatency ? new Float64Array(expected) : null
    this.processing = withLatency && withProcessing ? new Float64Array(expected) : null
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve
    })
  }

  hit(stampMs: number, receivedAt = Number.NaN): void {
    const now = nowMs()
    if (this.processing !== null && this.processingFilled < this.processing.length) {
      this.processing[this.processingFilled++] = now - receivedAt
    }
    if (this.count === 0) this.first = now
    this.last = now
    this.count++
    if (this.samples !== null && this.filled < this.samples.length && Number.isFinite(stampMs)) {
      this.samples[this.filled++] = now - stampMs
    }
    if (this.count >= this.expected) this.resolveDone?.()
  }

  /** Settles when every message arrived, or after `timeoutMs` with what did. */
  async wait(timeoutMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const result = await Promise.race([this.done.then(() => true), timedOut])
    clearTimeout(timer)
    return result
  }

  result(consumer: ConsumerKind, error?: string): StreamResult {
    const seconds = (this.last - this.first) / 1000
    // The first 10 % warm the JIT and the connection; they are not the steady state.
    const steady = (values: Float64Array | null, filled: number): Float64Array | null =>
      values === null ? null : values.slice(Math.floor(filled * 0.1), filled).sort()
    const latencies = steady(this.samples, this.filled)
    const processing = steady(this.processing, this.processingFilled)
    const out: StreamResult = {
      consumer,
      expected: this.expected,
      received: this.count,
      perSecond: this.count > 1 && seconds > 0 ? (this.count - 1) / seconds : Number.NaN,
      latenciesMs: latencies,
      processingMs: processing,
    }
    if (error !== undefined) out.error = error
    return out
  }
}

function fire(producer: Producer, venue: VenueId, plan: Plan): Promise<unknown> {
  return plan.mode === 'firehose'
    ? producer.firehose(venue, plan.channel, plan.count)
    : producer.rate(venue, plan.channel, plan.rate, plan.durationMs)
}

function timeoutFor(plan: Plan): number {
  return plan.mode === 'firehose' ? 30_000 + plan.count / 10 : plan.durationMs + 30_000
}

export async function runTickmesh(
  context: E2eContext,
  venue: VenueUnderTest,
  plan: Plan,
): Promise<StreamResult> {
  const meter = new Meter(expectedOf(plan), plan.mode === 'rate', true)
  const kind = plan.channel === 'trades' ? 'trade' : 'ticker'
  const adapter = venue.createAdapter({
    wsUrl: context.producer.wsUrl[venue.venue],
    restUrl: context.rest[venue.venue],
  })
  try {
    const subscription = adapter.subscribe(
      { channel: plan.channel, symbols: [venue.symbols[0]] },
      {
        onEvent: (event) => {
          if (event.kind === kind) meter.hit(event.exchangeTime ?? Number.NaN, event.receivedAt)
        },
      },
    )
    await subscription.ready
    await sleep(200)
    context.handshakes.set(`${venue.venue}:${plan.channel}`, await context.producer.status(venue.venue))
    const fired = fire(context.producer, venue.venue, plan)
    const complete = await meter.wait(timeoutFor(plan))
    await fired
    return meter.result('tickmesh', complete ? undefined : 'timed out before every trade arrived')
  } finally {
    await adapter.close()
  }
}

export async function runBareWs(
  context: E2eContext,
  venue: VenueUnderTest,
  plan: Plan,
  parse: boolean,
): Promise<StreamResult> {
  const handshake = context.handshakes.get(`${venue.venue}:${plan.channel}`)
  if (handshake?.path == null)
    throw new Error(`bench: run tickmesh on ${venue.venue} first (its handshake is replayed)`)
  const meter = new Meter(expectedOf(plan), plan.mode === 'rate')
  const ws = new WebSocket(`${context.producer.wsUrl[venue.venue]}${handshake.path}`, {
    perMessageDeflate: false,
  })
  let armed = false
  const withLatency = plan.mode === 'rate'
  ws.on('message', (data: Buffer) => {
    if (!armed) return
    if (parse) {
      const value = JSON.parse(data.toString('utf8')) as object
      if (value === null) return
      meter.hit(withLatency ? stampOf(venue.venue, data.toString('utf8')) : 0)
    } else {
      meter.hit(withLatency ? stampOf(venue.venue, data.toString('utf8')) : 0)
    }
  })
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    for (const message of handshake.clientMessages) ws.send(message)
    await sleep(300)
    armed = true
    const fired = fire(context.producer, venue.venue, plan)
    const complete = await meter.wait(timeoutFor(plan))
    await fired
    return meter.result(parse ? 'ws+JSON.parse' : 'ws', complete ? undefined : 'timed out')
  } finally {
    ws.terminate()
  }
}

// The ccxt client wiring and the simulator's Coinbase test account live with the simulator.
export { COINBASE_SIM_ACCOUNT } from '../../packages/simulator/src/venues/coinbase/coinbase-sim-auth'
export { ccxtClient, type ProExchange }

/** The send stamp of a ccxt trade or ticker, from the raw message ccxt keeps in `info`. */
function ccxtStamp(
  venue: VenueId,
  channel: StreamChannel,
  info: Record<string, unknown>,
  timestamp: unknown,
): number {
  switch (venue) {
    case 'binance':
      return Number(channel === 'trades' ? info.T : info.E)
    case 'bybit':
      // ccxt keeps only the ticker's `data` in info; its timestamp is the message `ts` (whole ms).
      return Number(channel === 'trades' ? info.T : timestamp)
    case 'okx':
      return Number(info.ts)
    case 'coinbase':
      return typeof info.time === 'string' ? isoToMs(info.time) : Number.NaN
  }
}

interface CcxtHooks {
  handleMessage: (client: unknown, message: unknown) => unknown
}

export async function runCcxt(context: E2eContext, venue: VenueUnderTest, plan: Plan): Promise<StreamResult> {
  const expected = expectedOf(plan)
  const meter = new Meter(expected, plan.mode === 'rate')
  const { exchange, symbol } = ccxtClient(
    venue.venue,
    context.producer.wsUrl[venue.venue],
    context.rest[venue.venue],
  )
  const withLatency = plan.mode === 'rate'
  const channel = plan.channel
  let failure: string | undefined
  let stop = false
  let armed = false
  // watchTicker hands the user only the newest ticker, so its firehose throughput is counted as the
  // messages ccxt has fully handled (its handleMessage returned), not as resolutions of the watch.
  const countHandled = channel === 'ticker' && !withLatency
  if (countHandled) {
    const hooks = exchange as unknown as CcxtHooks
    const original = hooks.handleMessage.bind(exchange)
    hooks.handleMessage = (client, message) => {
      const result = original(client, message)
      if (armed) meter.hit(0)
      return result
    }
  }
  try {
    await exchange.loadHttpProxyAgent()
    await exchange.loadMarkets()
    const loop = (async () => {
      while (!stop && meter.count < expected) {
        if (channel === 'trades') {
          const trades = await exchange.watchTrades(symbol)
          for (const trade of trades) {
            meter.hit(
              withLatency
                ? ccxtStamp(venue.venue, channel, trade.info as Record<string, unknown>, trade.timestamp)
                : 0,
            )
          }
        } else {
          // ccxt's Binance default is @miniTicker; ask for @ticker so both clients get the same frames.
          const ticker = await exchange.watchTicker(
            symbol,
            venue.venue === 'binance' ? { name: 'ticker' } : {},
          )
          if (!countHandled && armed) {
            meter.hit(
              ccxtStamp(venue.venue, channel, ticker.info as Record<string, unknown>, ticker.timestamp),
            )
          }
        }
      }
    })().catch((error: unknown) => {
      failure = String(error)
    })
    // The watch resolves only with data: wait for its subscribe to reach the producer.
    for (let i = 0; i < 100; i++) {
      const status = await context.producer.status(venue.venue)
      if (status.open > 0 && status.clientMessages.length > 0) break
      await sleep(50)
    }
    await sleep(300)
    armed = true
    const fired = fire(context.producer, venue.venue, plan)
    // A newest-only watch skips tickers by design: in rate mode wait for the stream, not a count.
    let complete = true
    if (channel === 'ticker' && withLatency) {
      await fired
      await sleep(200)
    } else {
      complete = await meter.wait(timeoutFor(plan))
    }
    await fired
    stop = true
    void loop
    return meter.result('ccxt', failure ?? (complete ? undefined : 'timed out before every message arrived'))
  } finally {
    await exchange.close()
  }
}
