import { marketEventSchema } from '@tickmesh/core'
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { CoinbaseOrderTracker } from './coinbase-order-tracker'
import { decodeCoinbase, decodeCoinbaseMessage } from './decode-coinbase'

const context = { market: 'spot' as const, receivedAt: 1 }
const TYPES = [
  'ticker',
  'ticker_batch',
  'match',
  'last_match',
  'snapshot',
  'l2update',
  'heartbeat',
  'subscriptions',
  'error',
  'received',
  'open',
  'done',
  'change',
  'activate',
  'balance',
]

describe('decodeCoinbase is total (property)', () => {
  it('never throws and only emits valid events for any text or JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        for (const event of decodeCoinbase(text, context)) marketEventSchema.parse(event)
      }),
      { numRuns: 500 },
    )
  })

  it('never throws on known message types with arbitrary field values', () => {
    const tracker = new CoinbaseOrderTracker(100)
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.dictionary(
          fc.constantFrom(
            'product_id',
            'price',
            'size',
            'side',
            'trade_id',
            'order_id',
            'best_bid',
            'best_ask',
            'bids',
            'asks',
            'changes',
            'time',
            'reason',
            'remaining_size',
            'currency',
            'available',
            'holds',
            'maker_order_id',
            'taker_order_id',
            'user_id',
            'taker_user_id',
          ),
          fc.oneof(fc.jsonValue(), fc.constantFrom('BTC-USD', 'buy', 'sell', '1.5', '0', 'filled')),
        ),
        (type, fields) => {
          const message = { ...fields, type }
          const frame = JSON.stringify(message)
          for (const event of decodeCoinbaseMessage(message, frame, context, tracker))
            marketEventSchema.parse(event)
          for (const event of decodeCoinbase(frame, context)) marketEventSchema.parse(event)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
