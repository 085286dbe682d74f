import {
  type AdapterSettings,
  type BookEvent,
  ConnectionTimeoutError,
  type Market,
  type MarketEvent,
  marketEventSchema,
  type StatusEvent,
  type Subscription,
  TickmeshError,
  type VenueAdapter,
  type VenueId,
} from '@tickmesh/core'
import { expect } from 'vitest'

// The live suite (`pnpm test:live`, never in CI): each adapter against the REAL venue with its
// default endpoints. Offline it must fail within seconds with a ConnectionTimeoutError, not hang.

export interface LiveVenueSpec {
  venue: VenueId
  /** The adapter with its defaults; the settings only shorten the open timeout and backoff. */
  create: (settings: AdapterSettings) => VenueAdapter
  /** The live WebSocket base, named in the timeout error. */
  wsUrl: string
  markets: readonly { market: Market; symbol: string }[]
}

/** Whole run, as the brief asks; vitest's own timeout sits a little above it. */
export const LIVE_BUDGET_MS = 30_000
export const LIVE_TEST_TIMEOUT_MS = LIVE_BUDGET_MS + 5_000
/** No open connection after this long → ConnectionTimeoutError. */
const CONNECT_BUDGET_MS = 10_000
const KINDS = ['ticker', 'trade', 'book'] as const

/**
 * Subscribes ticker, trades and book for each market, checks every event against
 * `marketEventSchema`, every book uncrossed and sorted, and that the adapter closes cleanly.
 */
export async function runLiveVenue(spec: LiveVenueSpec): Promise<void> {
  const startedAt = Date.now()
  const adapter = spec.create({
    openTimeoutMs: CONNECT_BUDGET_MS - 1_000,
    reconnect: { baseDelayMs: 500, maxDelayMs: 2_000 },
  })
  const violations: string[] = []
  const venueErrors: string[] = []
  const crossed: string[] = []
  const seen = new Set<string>()
  let lastStatus: StatusEvent | null = null
  let connected = false
  let afterClose = 0
  let closed = false
  const onStatus = (status: StatusEvent) => {
    lastStatus = status
    if (status.state === 'open' && status.symbol === null) connected = true
  }
  const off = adapter.onEvent((event: MarketEvent) => {
    if (closed) {
      afterClose++
      return
    }
    const checked = marketEventSchema.safeParse(event)
    if (!checked.success) violations.push(`${event.kind}: ${checked.error.message.slice(0, 300)}`)
    if (event.kind === 'status') onStatus(event)
    else if (event.kind === 'error') venueErrors.push(`${event.code}: ${event.message}`)
    else if (event.kind === 'book') {
      const problem = bookProblem(event)
      if (problem !== null) crossed.push(`${event.market} ${event.symbol}: ${problem}`)
    }
    if ('market' in event && event.market !== null) seen.add(`${event.market}:${event.kind}`)
  })
  const subscriptions: Subscription[] = []
  let failure: unknown = null
  try {
    for (const { market, symbol } of spec.markets) {
      for (const channel of ['ticker', 'trades', 'book'] as const) {
        subscriptions.push(
          adapter.subscribe(
            { channel, symbols: [symbol], market, ...(channel === 'book' ? { depth: 10 } : {}) },
            { onStatus },
          ),
        )
      }
    }
    await withConnectDeadline(
      spec,
      Promise.all(subscriptions.map((subscription) => subscription.ready)),
      () => connected,
      () => lastStatus,
    )
    const wanted = spec.markets.flatMap(({ market }) => KINDS.map((kind) => `${market}:${kind}`))
    while (wanted.some((key) => !seen.has(key)) && Date.now() - startedAt < LIVE_BUDGET_MS - 3_000)
      await sleep(100)
    expect(
      wanted.filter((key) => !seen.has(key)),
      'market:kind pairs with no event in the budget',
    ).toEqual([])
    expect(violations, 'events that fail marketEventSchema').toEqual([])
    expect(crossed, 'crossed or unsorted books').toEqual([])
    expect(venueErrors, 'error events from the live venue').toEqual([])
  } catch (error) {
    failure = error
  }
  closed = true
  try {
    await closeWithin(adapter, 3_000)
  } catch (error) {
    // The first failure is the one to report; a slow close only when all else passed.
    failure ??= error
  }
  off()
  if (failure !== null) throw failure
  await sleep(200)
  expect(afterClose, 'events delivered after close()').toBe(0)
}

function bookProblem(book: BookEvent): string | null {
  const bestBid = book.bids[0]?.[0]
  const bestAsk = book.asks[0]?.[0]
  if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk)
    return `crossed: bid ${bestBid} >= ask ${bestAsk}`
  for (let index = 1; index < book.bids.length; index++)
    if (book.bids[index]![0] >= book.bids[index - 1]![0]) return `bids not descending at ${index}`
  for (let index = 1; index < book.asks.length; index++)
    if (book.asks[index]![0] <= book.asks[index - 1]![0]) return `asks not ascending at ${index}`
  return null
}

/**
 * Resolves with `ready`, or rejects with a ConnectionTimeoutError naming the endpoint and the last
 * connection status when no connection opened in time (offline, a firewall, DNS).
 */
async function withConnectDeadline(
  spec: LiveVenueSpec,
  ready: Promise<unknown>,
  isConnected: () => boolean,
  lastStatus: () => StatusEvent | null,
): Promise<void> {
  const startedAt = Date.now()
  let failure: unknown = null
  let done = false
  ready.then(
    () => {
      done = true
    },
    (error: unknown) => {
      failure = error
      done = true
    },
  )
  while (!done && (isConnected() || Date.now() - startedAt < CONNECT_BUDGET_MS)) {
    if (Date.now() - startedAt > LIVE_BUDGET_MS - 5_000) break
    await sleep(50)
  }
  if (done && failure === null) return
  if (!isConnected()) {
    const status = lastStatus()
    throw new ConnectionTimeoutError(status?.url ?? spec.wsUrl, CONNECT_BUDGET_MS, {
      venue: spec.venue,
      hint: `The live ${spec.venue} test needs the internet (pnpm test:live is never run in CI); check the network, a firewall or proxy (HTTPS_PROXY is honored).`,
      ...(failure === null ? {} : { cause: failure }),
      details: {
        elapsedMs: Date.now() - startedAt,
        lastStatus: status === null ? 'none' : `${status.state}: ${status.reason}`,
        ...(failure instanceof TickmeshError ? { readyError: failure.shortMessage } : {}),
      },
    })
  }
  if (failure !== null) throw failure
  throw new Error(`${spec.venue}: subscriptions not acknowledged within ${LIVE_BUDGET_MS - 5_000} ms.`)
}

async function closeWithin(adapter: VenueAdapter, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([
      adapter.close(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`close() took longer than ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
