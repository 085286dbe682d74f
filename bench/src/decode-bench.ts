// 1. Decode: messages/s through each venue's pure `decode` per channel, against the floor of a bare
// JSON.parse of the same frames. Book deltas go through the frame processor (decode + book sync +
// a top-20 book event per update), since `decode` alone leaves diffs to the processor.
import type { DecodeContext, MarketEvent, RawItem } from '@tickmesh/core'
import { defaultInstruments } from '@tickmesh/simulator'
import { readFixtureFrame } from '../../test-support/fixtures'
import type { VenueCapture } from './capture-frames'
import { markdownTable, rate, ratio, verdict } from './format'
import { blackhole, type CaseResult, interleave } from './measure'
import type { BenchChannel, VenueUnderTest } from './venues'

const DECODE_GOAL = 1.5
const BOOK_DEPTH = 20

/** Real captures and documentation examples from the shared fixtures, per venue and channel. */
const FIXTURE_FRAMES: Record<string, Partial<Record<BenchChannel, string>>> = {
  binance: {
    ticker: 'real_ticker_24hr_combined.json',
    trade: 'real_aggTrade_combined.json',
    bbo: 'real_bookTicker_combined.json',
  },
  bybit: { ticker: 'real_tickers_spot_snapshot_BTCUSDT.json', trade: 'real_publicTrade_spot.json' },
  okx: {
    ticker: 'real_tickers_BTC-USDT.json',
    trade: 'real_trades_BTC-USDT.json',
    bbo: 'real_bbo-tbt_BTC-USDT.json',
  },
  coinbase: { ticker: 'doc_ticker.json', trade: 'real_match.json' },
}

export interface DecodeRow {
  venue: string
  channel: string
  source: 'simulator' | 'fixture'
  frames: number
  floor: CaseResult
  candidate: CaseResult
  ratio: number
}

export interface DecodeOptions {
  rounds: number
  /** Frames per timed round (a capture is cycled to reach it). */
  framesPerRound: number
}

function cycle(frames: readonly string[], count: number): string[] {
  const out: string[] = []
  for (let i = 0; out.length < count && frames.length > 0; i++) out.push(frames[i % frames.length]!)
  return out
}

function parseCase(frames: readonly string[]) {
  return {
    name: 'JSON.parse',
    run: () => {
      let sink = 0
      for (let i = 0; i < frames.length; i++) sink += (JSON.parse(frames[i]!) as object) === null ? 0 : 1
      blackhole.value += sink
      return frames.length
    },
  }
}

/**
 * Venue symbol → unified symbol, as each adapter supplies it from its instruments cache (a map
 * lookup), so decode is timed as the adapter runs it rather than re-deriving the symbol per frame.
 */
function symbolLookup(venue: VenueUnderTest): (venueSymbol: string) => string | undefined {
  const table = new Map<string, string>()
  for (const instrument of defaultInstruments([venue.venue])) {
    if (instrument.market === 'spot') table.set(instrument.venueSymbol, instrument.symbol)
  }
  return (venueSymbol) => table.get(venueSymbol)
}

function decodeCase(venue: VenueUnderTest, frames: readonly string[]) {
  const context: DecodeContext = { market: 'spot', receivedAt: 0, symbolOf: symbolLookup(venue) }
  return {
    name: 'decode',
    run: () => {
      let sink = 0
      for (let i = 0; i < frames.length; i++) {
        context.receivedAt = i
        sink += venue.decode(frames[i]!, context).length
      }
      blackhole.value += sink
      return frames.length
    },
  }
}

/** A fetch that answers from the REST responses recorded during capture (Binance depth snapshots). */
function recordedFetch(items: readonly RawItem[]): typeof fetch {
  const byPath = new Map<string, RawItem>()
  for (const item of items) {
    if (item.kind !== 'rest') continue
    const url = new URL(item.url)
    byPath.set(url.pathname + url.search, item)
  }
  return (async (input: string | URL | Request) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    const item = byPath.get(url.pathname + url.search)
    if (item === undefined) return new Response('{"code":404}', { status: 404 })
    return new Response(item.data, { status: item.status ?? 200 })
  }) as typeof fetch
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * A processor already holding synced books: frames are pushed one at a time, letting the (recorded)
 * snapshot fetch resolve, until the first book event; the rest of the frames are the timed part.
 */
interface PrimedProcessor {
  push: (frame: string, receivedAt: number) => void
  timedFrom: number
}

async function primedProcessor(
  venue: VenueUnderTest,
  capture: VenueCapture,
  frames: readonly string[],
  counter: { events: number },
): Promise<PrimedProcessor> {
  let books = 0
  const processor = venue.createProcessor({
    emit: (event: MarketEvent) => {
      counter.events++
      if (event.kind === 'book') books++
    },
    fetch: recordedFetch(capture.items),
    restUrl: 'http://127.0.0.1:1',
    bookDepth: BOOK_DEPTH,
    symbolOf: symbolLookup(venue),
  })
  let index = 0
  while (index < frames.length && books === 0) {
    processor.push(frames[index]!, 'spot', index)
    index++
    for (let i = 0; i < 3; i++) await tick()
  }
  // Let every symbol's snapshot land before timing.
  for (let i = 0; i < 20; i++) await tick()
  return { push: (frame, receivedAt) => processor.push(frame, 'spot', receivedAt), timedFrom: index + 50 }
}

async function bookRow(
  venue: VenueUnderTest,
  capture: VenueCapture,
  options: DecodeOptions,
): Promise<DecodeRow | null> {
  const frames = capture.frames.book
  if (frames.length < 200) return null
  const counter = { events: 0 }
  const total = options.rounds + 2
  const primed: PrimedProcessor[] = []
  for (let i = 0; i < total; i++) primed.push(await primedProcessor(venue, capture, frames, counter))
  const timedFrom = Math.max(...primed.map((p) => p.timedFrom))
  const timed = frames.slice(timedFrom)
  let next = 0
  const [floor, candidate] = interleave(
    [
      parseCase(timed),
      {
        name: 'processor',
        run: () => {
          const target = primed[next++]
          if (target === undefined) return 0
          for (let i = 0; i < timed.length; i++) target.push(timed[i]!, i)
          return timed.length
        },
      },
    ],
    { rounds: options.rounds, warmupRounds: 2 },
  )
  if (floor === undefined || candidate === undefined) return null
  return {
    venue: venue.venue,
    channel: `book delta (processor, top ${BOOK_DEPTH})`,
    source: 'simulator',
    frames: timed.length,
    floor,
    candidate,
    ratio: candidate.nsPerOp / floor.nsPerOp,
  }
}

function readFixtureSafe(venue: string, file: string): string | null {
  try {
    return readFixtureFrame(venue, file)
  } catch {
    return null
  }
}

export async function runDecodeBench(
  venues: readonly VenueUnderTest[],
  captures: readonly VenueCapture[],
  options: DecodeOptions,
): Promise<DecodeRow[]> {
  const rows: DecodeRow[] = []
  for (const venue of venues) {
    const capture = captures.find((c) => c.venue === venue.venue)
    if (capture === undefined) continue
    const sets: { channel: string; source: 'simulator' | 'fixture'; frames: string[] }[] = []
    for (const channel of ['ticker', 'trade', 'bbo'] as const) {
      const captured = capture.frames[channel]
      if (captured.length > 0) sets.push({ channel, source: 'simulator', frames: captured })
      const file = FIXTURE_FRAMES[venue.venue]?.[channel]
      const fixture = file === undefined ? null : readFixtureSafe(venue.venue, file)
      if (fixture !== null) sets.push({ channel, source: 'fixture', frames: [fixture] })
    }
    for (const set of sets) {
      const frames = cycle(set.frames, options.framesPerRound)
      const [floor, candidate] = interleave([parseCase(frames), decodeCase(venue, frames)], {
        rounds: options.rounds,
        warmupRounds: 2,
      })
      if (floor === undefined || candidate === undefined) continue
      rows.push({
        venue: venue.venue,
        channel: set.channel,
        source: set.source,
        frames: set.frames.length,
        floor,
        candidate,
        ratio: candidate.nsPerOp / floor.nsPerOp,
      })
    }
    const book = await bookRow(venue, capture, options)
    if (book !== null) rows.push(book)
  }
  return rows
}

export function decodeTable(rows: readonly DecodeRow[]): string {
  return markdownTable(
    ['venue', 'channel', 'frames', 'JSON.parse floor /s', 'tickmesh /s', 'ratio', `goal ≤ ${DECODE_GOAL}×`],
    rows.map((row) => [
      row.venue,
      row.channel,
      `${row.source} ×${row.frames}`,
      rate(row.floor.opsPerSecond),
      rate(row.candidate.opsPerSecond),
      ratio(row.ratio),
      verdict(row.ratio <= DECODE_GOAL),
    ]),
  )
}
