// Throughput of the Coinbase hot paths: decode of ticker/match frames and the frame processor's
// level2 book sync (300-level book, top 50 emitted), each as a ratio to a floor loop that only
// JSON.parses the same frames. Run: pnpm --filter @tickmesh/coinbase bench
import type { DecodeContext } from '@tickmesh/core'
import { createCoinbaseFrameProcessor } from './coinbase-frame-processor'
import { decodeCoinbase } from './decode/decode-coinbase'

const FRAMES = 200_000
/** Levels per side emitted with each book event (DEPTH=10 pnpm bench to compare). */
const DEPTH = Number(process.env.DEPTH ?? 50)
const ROUNDS = 5

let seed = 7
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

function tickerFrames(): string[] {
  const frames: string[] = []
  for (let i = 0; i < FRAMES; i++) {
    const price = (60_000 + random() * 100).toFixed(2)
    if (i % 2 === 0) {
      frames.push(
        JSON.stringify({
          type: 'ticker',
          sequence: 1000 + i,
          product_id: 'BTC-USD',
          price,
          open_24h: '59000.00',
          volume_24h: '12345.12345678',
          low_24h: '58000.00',
          high_24h: '61000.00',
          volume_30d: '370000.00000000',
          best_bid: price,
          best_bid_size: '0.50000000',
          best_ask: (Number(price) + 0.01).toFixed(2),
          best_ask_size: '0.40000000',
          side: 'buy',
          time: '2024-01-01T00:00:00.123456Z',
          trade_id: 1000 + i,
          last_size: '0.01000000',
        }),
      )
    } else {
      frames.push(
        JSON.stringify({
          type: 'match',
          trade_id: 1000 + i,
          maker_order_id: 'ac928c66-ca53-498f-9c13-a110027a60e8',
          taker_order_id: '132fb6ae-456b-4654-b4e0-d681ac05cea1',
          side: 'sell',
          size: '0.01000000',
          price,
          product_id: 'BTC-USD',
          sequence: 1000 + i,
          time: '2024-01-01T00:00:00.123456Z',
        }),
      )
    }
  }
  return frames
}

function bookFrames(): { snapshot: string; updates: string[] } {
  const bids: [string, string][] = []
  const asks: [string, string][] = []
  for (let i = 0; i < 300; i++) {
    bids.push([(59_999 - i * 0.5).toFixed(2), '1.00000000'])
    asks.push([(60_001 + i * 0.5).toFixed(2), '1.00000000'])
  }
  const snapshot = JSON.stringify({ type: 'snapshot', product_id: 'BTC-USD', bids, asks })
  const updates: string[] = []
  for (let i = 0; i < FRAMES; i++) {
    const changes: [string, string, string][] = []
    const count = 1 + Math.floor(random() * 3)
    for (let c = 0; c < count; c++) {
      const level = Math.floor(random() ** 2 * 60)
      const bid = random() < 0.5
      const price = bid ? (59_999 - level * 0.5).toFixed(2) : (60_001 + level * 0.5).toFixed(2)
      const size = random() < 0.1 ? '0' : (random() * 2 + 0.01).toFixed(8)
      changes.push([bid ? 'buy' : 'sell', price, size])
    }
    updates.push(
      JSON.stringify({
        type: 'l2update',
        product_id: 'BTC-USD',
        changes,
        time: '2024-01-01T00:00:00.123456Z',
      }),
    )
  }
  return { snapshot, updates }
}

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now()
    run()
    fastest = Math.min(fastest, performance.now() - start)
  }
  return fastest
}

const tickers = tickerFrames()
const { snapshot, updates } = bookFrames()
let sink = 0
const context: DecodeContext = { market: 'spot', receivedAt: 0 }

const parseTickers = best(() => {
  for (const frame of tickers) sink += (JSON.parse(frame) as { type: string }).type.length
})
const decodeTickers = best(() => {
  for (const frame of tickers) sink += decodeCoinbase(frame, context).length
})
const parseBook = best(() => {
  for (const frame of updates) sink += (JSON.parse(frame) as { type: string }).type.length
})
const processBook = best(() => {
  const processor = createCoinbaseFrameProcessor({ emit: () => sink++, bookDepth: DEPTH })
  processor.push(snapshot, 'spot', 0)
  for (const frame of updates) processor.push(frame, 'spot', 0)
  processor.close()
})

const rate = (ms: number) => `${Math.round((FRAMES / ms) * 1000).toLocaleString('en-US')} frames/s`
console.log(
  `decode ticker+match: ${rate(decodeTickers)} (JSON.parse floor ${rate(parseTickers)}, ratio ${(decodeTickers / parseTickers).toFixed(2)}x)`,
)
console.log(
  `level2 book sync, top ${DEPTH} emitted: ${rate(processBook)} (JSON.parse floor ${rate(parseBook)}, ratio ${(processBook / parseBook).toFixed(2)}x)`,
)
if (sink === -1) console.log(sink)
