import type {
  AdapterSettings,
  BookEvent,
  MarketEvent,
  StatusEvent,
  TradeEvent,
  VenueAdapter,
  VenueId,
  WebSocketConstructor,
} from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import type { SimFault, SimFaultKind, Simulator, StartSimulatorOptions } from '@tickmesh/simulator'
import { createPrng, priceOf, sizeOf, startSimulator } from '@tickmesh/simulator'

// The chaos run shared by every venue: one adapter against the simulator, subscribed to a book,
// trades and bbo; faults of every kind injected at random moments; after each, the run waits until
// the client's book equals the simulator's true book again with every connection open, and measures
// how long that took. Connection attempts are counted through the WebSocket constructor to prove the
// reconnects stay under the venue's connection limits.

export interface ChaosVenueSpec {
  venue: VenueId
  /** Unified symbol subscribed (`BTC/USDT`, Coinbase `BTC/USD`). */
  symbol: string
  /** The venue spelling for the simulator's true book and trades. */
  venueSymbol: string
  create(settings: AdapterSettings): VenueAdapter
  /** Venue settings that shrink keepalive/silence timers so a stall is found quickly. */
  settings: Record<string, unknown>
  /** The silence limit those settings give: a stall must be detected within it plus 1 s. */
  stallLimitMs: number
  faultKinds: readonly SimFaultKind[]
  /** The venue's connection limit: at most `count` new connections per `windowMs`. */
  connectionLimit: { count: number; windowMs: number }
  /** Simulator trade id of a trade event (null when it cannot be mapped). */
  simTradeId(event: TradeEvent): number | null
  simOptions?: Partial<StartSimulatorOptions>
  /** `ws`'s WebSocket (imported by the test file, where `ws` resolves). */
  WebSocket: WebSocketConstructor
}

export interface FaultFigures {
  injected: number
  recovered: number
  worstRecoverMs: number
  totalRecoverMs: number
}

export interface ChaosResult {
  venue: VenueId
  seed: number
  faults: Record<string, FaultFigures>
  /** Worst stall detection time (ms from the stall's start to the stale/reconnecting status). */
  worstStallDetectMs: number
  stallsDetected: number
  /**
   * Each detected stall: detection time and the worst event-loop lateness the harness saw while
   * waiting for it. The adapter's ping and pong timers run on the same loop, so a loaded machine
   * delays detection by up to that lateness per timer; the bound allows for it, and only for it.
   */
  stallDetections: Array<{ detectMs: number; lagMs: number }>
  connections: number
  maxConnectionsInWindow: number
  connectionLimit: { count: number; windowMs: number }
  /** Delay before each reconnect (ms since the previous connection attempt), for the jitter check. */
  reconnectGapsMs: number[]
  /** The fault kinds in flight during the busiest connection window. */
  busiestWindowFaults: string[]
  events: number
  schemaViolations: string[]
  trades: { received: number; lost: number; inGaps: number; duplicates: number; outOfOrder: number }
  unrecovered: string[]
  durationMs: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const BAD_STATES = new Set(['connecting', 'reconnecting', 'stale', 'resyncing'])

function faultOf(kind: SimFaultKind, spec: ChaosVenueSpec, pick: () => number, symbol: string): SimFault[] {
  switch (kind) {
    case 'drop':
      return [
        { kind: 'drop', code: ([1000, 1001, 1011, 1012, 4000] as const)[Math.floor(pick() * 5)] ?? 1001 },
      ]
    case 'stall':
      return [{ kind: 'stall', durationMs: spec.stallLimitMs + 3_000 }]
    case 'halfOpen':
      return [{ kind: 'halfOpen' }]
    case 'malformed':
      return [{ kind: 'malformed', count: 1 + Math.floor(pick() * 5) }]
    case 'oversized':
      return [{ kind: 'oversized', bytes: 64 * 1024 + Math.floor(pick() * 2 * 1024 * 1024) }]
    case 'unknownFields':
      return [{ kind: 'unknownFields', durationMs: 500 + Math.floor(pick() * 1_500) }]
    case 'errorReply':
      return [{ kind: 'errorReply' }]
    case 'sequenceGap':
      return [{ kind: 'sequenceGap', symbol }]
    case 'badChecksum':
      return [{ kind: 'badChecksum', symbol }]
    case 'rest': {
      const status = ([429, 500, 502, 503, 'timeout'] as const)[Math.floor(pick() * 5)] ?? 503
      // REST faults bite when a snapshot or backfill is needed: force one right after. A timeout
      // costs the adapter's whole REST timeout (10 s), so only one request is held.
      return [
        { kind: 'rest', status, count: status === 'timeout' ? 1 : 1 + Math.floor(pick() * 3) },
        spec.faultKinds.includes('sequenceGap')
          ? { kind: 'sequenceGap', symbol }
          : { kind: 'drop', code: 1001 },
      ]
    }
    case 'plannedDisconnect':
      return [{ kind: 'plannedDisconnect' }]
    case 'slowConsumer':
      return [{ kind: 'slowConsumer' }]
  }
}

function sameBook(client: BookEvent | undefined, truth: { bids: number[][]; asks: number[][] }): boolean {
  if (!client) return false
  const depth = Math.min(truth.bids.length, truth.asks.length)
  if (client.bids.length < depth || client.asks.length < depth) return false
  for (let index = 0; index < depth; index++) {
    const [bidPrice, bidSize] = client.bids[index] as [number, number]
    const [askPrice, askSize] = client.asks[index] as [number, number]
    const trueBid = truth.bids[index] as number[]
    const trueAsk = truth.asks[index] as number[]
    if (
      bidPrice !== trueBid[0] ||
      bidSize !== trueBid[1] ||
      askPrice !== trueAsk[0] ||
      askSize !== trueAsk[1]
    )
      return false
  }
  return true
}

/** Runs `rounds` random faults against one venue and returns the figures. Throws only on harness errors. */
export async function runChaos(
  spec: ChaosVenueSpec,
  options: { rounds: number; seed: number },
): Promise<ChaosResult> {
  const startedAt = Date.now()
  const prng = createPrng(options.seed)
  const pick = () => prng.next()
  const depth = 10
  const sim: Simulator = await startSimulator({
    venues: [spec.venue],
    seed: options.seed,
    port: 0,
    timeScale: 0.05,
    ...spec.simOptions,
  })
  const attempts: number[] = []
  const attemptFaults: string[] = []
  let currentFault = 'start'
  const Base = spec.WebSocket
  // Counts every connection attempt the adapter makes (the venue's connection limit applies to these).
  const Counting = class extends Base {
    constructor(...args: ConstructorParameters<WebSocketConstructor>) {
      super(...args)
      attempts.push(Date.now())
      attemptFaults.push(currentFault)
    }
  } as unknown as WebSocketConstructor
  const adapter = spec.create({
    wsUrl: sim.venues[spec.venue].ws,
    restUrl: sim.venues[spec.venue].rest,
    WebSocket: Counting,
    reconnect: { baseDelayMs: 100, maxDelayMs: 2_000, stableAfterMs: 1_000 },
    ...spec.settings,
  })
  const result: ChaosResult = {
    venue: spec.venue,
    seed: options.seed,
    faults: {},
    worstStallDetectMs: 0,
    stallsDetected: 0,
    stallDetections: [],
    connections: 0,
    maxConnectionsInWindow: 0,
    connectionLimit: spec.connectionLimit,
    reconnectGapsMs: [],
    busiestWindowFaults: [],
    events: 0,
    schemaViolations: [],
    trades: { received: 0, lost: 0, inGaps: 0, duplicates: 0, outOfOrder: 0 },
    unrecovered: [],
    durationMs: 0,
  }
  let lastBook: BookEvent | undefined
  let bookEvents = 0
  const counts = { book: 0, trade: 0, bbo: 0 }
  const statuses = new Map<string, StatusEvent>()
  const statusLog: StatusEvent[] = []
  const trades: TradeEvent[] = []
  const gaps: Array<{ fromId: string | null; toId: string | null }> = []
  adapter.onEvent((event: MarketEvent) => {
    result.events++
    const checked = marketEventSchema.safeParse(event)
    if (!checked.success && result.schemaViolations.length < 10)
      result.schemaViolations.push(`${event.kind}: ${checked.error.message.slice(0, 200)}`)
    if (event.kind === 'status') {
      statuses.set(`${event.symbol}|${event.channel}|${event.url}|${event.market}`, event)
      statusLog.push(event)
      if (statusLog.length > 10_000) statusLog.splice(0, 5_000)
    }
  })
  const subscriptions = [
    adapter.subscribe(
      { channel: 'book', symbols: [spec.symbol], depth },
      {
        onEvent: (event) => {
          if (event.kind === 'book') {
            lastBook = event
            bookEvents++
            counts.book++
          }
        },
      },
    ),
    adapter.subscribe(
      { channel: 'trades', symbols: [spec.symbol] },
      {
        onEvent: (event) => {
          if (event.kind === 'trade') {
            trades.push(event)
            counts.trade++
          } else if (event.kind === 'gap') gaps.push({ fromId: event.fromId, toId: event.toId })
        },
      },
    ),
    adapter.subscribe(
      { channel: 'bbo', symbols: [spec.symbol] },
      {
        onEvent: (event) => {
          if (event.kind === 'bbo') counts.bbo++
        },
      },
    ),
  ]
  const instrument = sim.market.instrument(spec.venue, spec.venueSymbol, 'spot')
  if (!instrument) throw new Error(`no simulated instrument ${spec.venueSymbol}`)
  const truth = () => {
    const book = sim.trueBook(spec.venue, spec.venueSymbol, depth, 'spot')
    return {
      bids: book.bids.map(([price, size]) => [priceOf(instrument, price), sizeOf(instrument, size)]),
      asks: book.asks.map(([price, size]) => [priceOf(instrument, price), sizeOf(instrument, size)]),
    }
  }
  const healthy = () => {
    for (const status of statuses.values()) if (BAD_STATES.has(status.state)) return false
    return true
  }
  /** Stops the market until no book event has come for 300 ms, then compares. */
  const settledEqual = async (): Promise<boolean> => {
    sim.market.stop()
    const deadline = Date.now() + 5_000
    let seen = -1
    while (Date.now() < deadline && seen !== bookEvents) {
      seen = bookEvents
      await sleep(300)
    }
    const equal = healthy() && sameBook(lastBook, truth())
    sim.market.start()
    return equal
  }

  try {
    await Promise.all(subscriptions.map((subscription) => subscription.ready))
    const warmup = Date.now() + 30_000
    while (!(await settledEqual())) {
      if (Date.now() > warmup)
        throw new Error(`${spec.venue}: the book never matched the true book before any fault`)
      await sleep(200)
    }
    for (let round = 0; round < options.rounds; round++) {
      const kind = spec.faultKinds[round % spec.faultKinds.length] as SimFaultKind
      const figures = result.faults[kind] ?? {
        injected: 0,
        recovered: 0,
        worstRecoverMs: 0,
        totalRecoverMs: 0,
      }
      result.faults[kind] = figures
      await sleep(50 + Math.floor(pick() * 450)) // a random moment
      const before = { ...counts }
      const statusMark = statusLog.length
      const injectedAt = Date.now()
      currentFault = `${round}:${kind}`
      for (const fault of faultOf(kind, spec, pick, spec.venueSymbol)) sim.inject(spec.venue, fault)
      figures.injected++
      if (kind === 'stall') {
        const detectDeadline = injectedAt + spec.stallLimitMs + 10_000
        let detectedAt: number | null = null
        let lagMs = 0
        while (detectedAt === null && Date.now() < detectDeadline) {
          const found = statusLog
            .slice(statusMark)
            .find((status) => status.state === 'stale' || status.state === 'reconnecting')
          if (found) detectedAt = found.receivedAt
          else {
            const sleptAt = Date.now()
            await sleep(20)
            lagMs = Math.max(lagMs, Date.now() - sleptAt - 20)
          }
        }
        if (detectedAt === null) result.unrecovered.push(`round ${round}: stall never detected`)
        else {
          const detectMs = Math.round(detectedAt - injectedAt)
          result.stallsDetected++
          result.worstStallDetectMs = Math.max(result.worstStallDetectMs, detectMs)
          result.stallDetections.push({ detectMs, lagMs })
        }
      }
      const deadline = injectedAt + 45_000
      let recoveredAt: number | null = null
      while (Date.now() < deadline) {
        await sleep(150)
        // Every subscription resumed: each got data after the fault (bbo/trades need market moves).
        if (counts.book === before.book || counts.trade === before.trade || counts.bbo === before.bbo)
          continue
        if (!healthy()) continue
        const checkAt = Date.now()
        if (await settledEqual()) {
          recoveredAt = checkAt
          break
        }
      }
      if (recoveredAt === null) {
        result.unrecovered.push(
          `round ${round} (${kind}): not recovered in 45 s; statuses ${[...statuses.values()].map((s) => `${s.state}:${s.reason}`).join('; ')}`,
        )
        if (result.unrecovered.length >= 3) break
        continue
      }
      const recoverMs = recoveredAt - injectedAt
      figures.recovered++
      figures.totalRecoverMs += recoverMs
      figures.worstRecoverMs = Math.max(figures.worstRecoverMs, recoverMs)
    }
  } finally {
    await adapter.close()
    // Trades: compare the received ids with the true list over the span the client covered.
    const ids: number[] = []
    for (const trade of trades) {
      const id = spec.simTradeId(trade)
      if (id !== null) ids.push(id)
    }
    const unique = new Set(ids)
    result.trades.received = trades.length
    result.trades.duplicates = ids.length - unique.size
    for (let index = 1; index < ids.length; index++)
      if ((ids[index] as number) < (ids[index - 1] as number)) result.trades.outOfOrder++
    if (ids.length > 0) {
      const first = Math.min(...unique)
      const last = Math.max(...unique)
      const gapRanges = gaps.map((gap) => [Number(gap.fromId ?? first), Number(gap.toId ?? last)] as const)
      for (const trade of sim.trueTrades(spec.venue, spec.venueSymbol, 'spot')) {
        if (trade.id < first || trade.id > last || unique.has(trade.id)) continue
        if (gapRanges.some(([from, to]) => trade.id > from && trade.id < to)) result.trades.inGaps++
        else result.trades.lost++
      }
    }
    result.connections = attempts.length
    for (let index = 0; index < attempts.length; index++) {
      let inWindow = 0
      for (let other = index; other < attempts.length; other++) {
        if ((attempts[other] as number) - (attempts[index] as number) < spec.connectionLimit.windowMs)
          inWindow++
      }
      if (inWindow > result.maxConnectionsInWindow) {
        result.maxConnectionsInWindow = inWindow
        result.busiestWindowFaults = [...new Set(attemptFaults.slice(index, index + inWindow))]
      }
      if (index > 0)
        result.reconnectGapsMs.push((attempts[index] as number) - (attempts[index - 1] as number))
    }
    await sim.close()
    result.durationMs = Date.now() - startedAt
  }
  return result
}

/** All fault kinds in a stable order; venues drop the ones their protocol has no use for. */
export const ALL_FAULT_KINDS: readonly SimFaultKind[] = [
  'drop',
  'stall',
  'halfOpen',
  'malformed',
  'oversized',
  'unknownFields',
  'errorReply',
  'sequenceGap',
  'badChecksum',
  'rest',
  'plannedDisconnect',
  'slowConsumer',
]

/** Short names of a run's figures for the docs and the log. */
export function summarizeChaos(result: ChaosResult): Record<string, unknown> {
  const gaps = result.reconnectGapsMs
  return {
    suite: 'chaos',
    venue: result.venue,
    seed: result.seed,
    faults: result.faults,
    faultsInjected: Object.values(result.faults).reduce((sum, figures) => sum + figures.injected, 0),
    faultsRecovered: Object.values(result.faults).reduce((sum, figures) => sum + figures.recovered, 0),
    worstRecoverMs: Math.max(0, ...Object.values(result.faults).map((figures) => figures.worstRecoverMs)),
    worstStallDetectMs: result.worstStallDetectMs,
    worstStallLagMs: Math.max(0, ...result.stallDetections.map((stall) => stall.lagMs)),
    stallsDetected: result.stallsDetected,
    connections: result.connections,
    maxConnectionsInWindow: result.maxConnectionsInWindow,
    busiestWindowFaults: result.busiestWindowFaults,
    connectionLimit: result.connectionLimit,
    reconnectGapMs:
      gaps.length > 0
        ? { min: Math.min(...gaps), max: Math.max(...gaps), distinct: new Set(gaps).size }
        : null,
    events: result.events,
    schemaViolations: result.schemaViolations.length,
    trades: result.trades,
    unrecovered: result.unrecovered,
    seconds: Math.round(result.durationMs / 1000),
  }
}
