import type { ConsolidatedBook } from '@tickmesh/aggregator'
import { Box, Text } from 'ink'
import { priceCell } from './format-cells'

export interface BookViewProps {
  symbol: string
  book: ConsolidatedBook | null
  depth: number
  color: boolean
  source: string
}

function sizeCell(size: number): string {
  return size.toPrecision(5).padStart(12)
}

function SpreadLine({ book }: { book: ConsolidatedBook }) {
  const bid = book.bids[0]
  const ask = book.asks[0]
  if (bid === undefined || ask === undefined) return <Text>{'-'.repeat(14)}</Text>
  const spread = ask.price - bid.price
  return (
    <Text>{`${'-'.repeat(14)} spread ${priceCell(spread, 0).trim()}${spread < 0 ? `  CROSSED: ${bid.venue} bids above ${ask.venue}'s ask` : ''}`}</Text>
  )
}

/** The consolidated L2 book: asks above (best at the bottom), bids below, each level with its venue. */
export function BookView({ symbol, book, depth, color, source }: BookViewProps) {
  const askTint = color ? { color: 'red' } : {}
  const bidTint = color ? { color: 'green' } : {}
  const asks = book === null ? [] : book.asks.slice(0, depth).reverse()
  const bids = book === null ? [] : book.bids.slice(0, depth)
  return (
    <Box flexDirection="column">
      <Text bold>{`tickmesh book ${symbol} · ${source} · top ${depth} per side · q to quit`}</Text>
      <Text>{`${'price'.padStart(14)}${'size'.padStart(12)}  venue`}</Text>
      {book === null ? <Text>waiting for books…</Text> : null}
      {asks.map((level) => (
        <Text key={`a${level.price}${level.venue}`} {...askTint}>
          {`${priceCell(level.price, 14)}${sizeCell(level.size)}  ${level.venue}`}
        </Text>
      ))}
      {book !== null ? <SpreadLine book={book} /> : null}
      {bids.map((level) => (
        <Text key={`b${level.price}${level.venue}`} {...bidTint}>
          {`${priceCell(level.price, 14)}${sizeCell(level.size)}  ${level.venue}`}
        </Text>
      ))}
      {book !== null && book.stale.length > 0 ? <Text>{`stale: ${book.stale.join(', ')}`}</Text> : null}
    </Box>
  )
}
