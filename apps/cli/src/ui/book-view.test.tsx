import type { ConsolidatedBook } from '@tickmesh/aggregator'
import { render } from 'ink-testing-library'
import { describe, expect, it } from 'vitest'
import { BookView } from './book-view'

const book: ConsolidatedBook = {
  symbol: 'BTC/USDT',
  bids: [
    { price: 60_010, size: 0.5, venue: 'okx' },
    { price: 60_000, size: 1.25, venue: 'binance' },
    { price: 59_999, size: 2, venue: 'bybit' },
  ],
  asks: [
    { price: 60_005, size: 0.75, venue: 'binance' },
    { price: 60_011, size: 3, venue: 'okx' },
  ],
  venues: ['binance', 'bybit', 'okx'],
  stale: ['coinbase'],
  asOf: 1_700_000_000_000,
}

describe('BookView', () => {
  it('draws asks above bids, best in the middle, each level with its venue', () => {
    const { lastFrame, unmount } = render(
      <BookView symbol="BTC/USDT" book={book} depth={2} color={false} source="simulator" />,
    )
    const lines = (lastFrame() ?? '').split('\n')
    unmount()
    expect(lines[0]).toBe('tickmesh book BTC/USDT · simulator · top 2 per side · q to quit')
    expect(lines[2]).toMatch(/^\s+60011\.00\s+3\.0000\s+okx$/)
    expect(lines[3]).toMatch(/^\s+60005\.00\s+0\.75000\s+binance$/)
    expect(lines[4]).toContain("spread -5.0000  CROSSED: okx bids above binance's ask")
    expect(lines[5]).toMatch(/^\s+60010\.00\s+0\.50000\s+okx$/)
    expect(lines[6]).toMatch(/^\s+60000\.00\s+1\.2500\s+binance$/)
    expect(lines).toHaveLength(8)
    expect(lines[7]).toBe('stale: coinbase')
  })

  it('waits politely before the first book', () => {
    const { lastFrame, unmount } = render(
      <BookView symbol="ETH/USDT" book={null} depth={5} color={false} source="live venues" />,
    )
    expect(lastFrame()).toContain('waiting for books')
    unmount()
  })
})
