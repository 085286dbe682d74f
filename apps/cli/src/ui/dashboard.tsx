import { Box, Text } from 'ink'
import type { ReactNode } from 'react'
import type {
  ClosedOpportunityRow,
  DashboardSnapshot,
  OpportunityRow,
  SymbolPanel,
  VenueStatusRow,
} from './dashboard-model'
import { compactCell, elapsedText, msCell, numberCell, priceCell } from './format-cells'

export interface DashboardProps {
  snapshot: DashboardSnapshot
  /** False under NO_COLOR (or not a color terminal): plain text only. */
  color: boolean
}

const VENUE_WIDTH = 10
const HEADER = `${'venue'.padEnd(VENUE_WIDTH)}${'bid'.padStart(13)}${'ask'.padStart(13)}${'last'.padStart(13)}${'spr bps'.padStart(9)}${'vol 24h'.padStart(10)}${'age'.padStart(8)}${'latency'.padStart(9)}`

/** A Text that drops its color when colors are off. */
function Tinted(props: { color: boolean; tint: string | undefined; bold?: boolean; children: ReactNode }) {
  const style: { color?: string; bold?: boolean } = {}
  if (props.color && props.tint !== undefined) style.color = props.tint
  if (props.bold) style.bold = true
  return <Text {...style}>{props.children}</Text>
}

function SymbolTable({ panel, color }: { panel: SymbolPanel; color: boolean }) {
  const best = panel.consolidated
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Tinted color={color} tint="cyan" bold>
        {panel.symbol}
      </Tinted>
      <Tinted color={color} tint="gray">
        {`  ${HEADER}`}
      </Tinted>
      {panel.rows.map((row) => (
        <Text key={row.venue}>
          {'  '}
          <Tinted color={color} tint={row.stale ? 'gray' : undefined}>
            {row.venue.padEnd(VENUE_WIDTH)}
          </Tinted>
          <Tinted color={color} tint={row.stale ? 'gray' : 'green'}>
            {` ${priceCell(row.bid)}`}
          </Tinted>
          <Tinted color={color} tint={row.stale ? 'gray' : 'red'}>
            {` ${priceCell(row.ask)}`}
          </Tinted>
          {` ${priceCell(row.last)}`}
          {numberCell(row.spreadBps, 2, 9)}
          {compactCell(row.volume24h, 10)}
          <Tinted color={color} tint={row.stale ? 'yellow' : undefined}>
            {msCell(row.quoteAgeMs, 8)}
          </Tinted>
          {msCell(row.latencyMs, 9)}
          {row.sourceSymbol !== panel.symbol ? `  (${row.sourceSymbol})` : ''}
        </Text>
      ))}
      <Text>
        {'  '}
        <Tinted color={color} tint="white" bold>
          {'best'.padEnd(VENUE_WIDTH)}
        </Tinted>
        <Tinted color={color} tint="green" bold>
          {` ${priceCell(best?.bid ?? null)}`}
        </Tinted>
        <Tinted color={color} tint="red" bold>
          {` ${priceCell(best?.ask ?? null)}`}
        </Tinted>
        {`${' '.repeat(14)}${numberCell(best?.spreadBps ?? null, 2, 9)}`}
        {best ? `   bid@${best.bidVenue ?? '-'} ask@${best.askVenue ?? '-'}` : '   waiting for quotes'}
        {best?.crossed ? (
          <Tinted color={color} tint="magenta" bold>
            {'  CROSSED'}
          </Tinted>
        ) : (
          ''
        )}
      </Text>
    </Box>
  )
}

function Opportunities(props: {
  rows: OpportunityRow[]
  recent: ClosedOpportunityRow[]
  opened: number
  closed: number
  color: boolean
}) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Tinted color={props.color} tint="cyan" bold>
        {`Arbitrage: ${props.rows.length} open · ${props.opened} opened · ${props.closed} closed (edge net of taker fees)`}
      </Tinted>
      {props.rows.length === 0 ? (
        <Tinted color={props.color} tint="gray">
          {'  no open opportunity'}
        </Tinted>
      ) : (
        props.rows.map((row) => (
          <Text key={row.id}>
            {`  ${row.id.padEnd(14)} buy ${row.buyVenue.padEnd(9)}${priceCell(row.buyPrice)}  sell ${row.sellVenue.padEnd(9)}${priceCell(row.sellPrice)}  `}
            <Tinted color={props.color} tint="green" bold>
              {`net ${(row.netEdge * 100).toFixed(3)}%`}
            </Tinted>
            {`  size ${row.size === null ? '-' : row.size.toPrecision(4)}  open ${elapsedText(row.durationMs)}`}
          </Text>
        ))
      )}
      {props.recent.map((row) => (
        <Tinted key={`closed-${row.id}`} color={props.color} tint="gray">
          {`  closed ${row.id.padEnd(14)} buy ${row.buyVenue} sell ${row.sellVenue}  peak net ${(row.peakNetEdge * 100).toFixed(3)}%  lasted ${elapsedText(row.durationMs)} (${row.reason}) at ${new Date(row.closedAt).toISOString().slice(11, 19)}`}
        </Tinted>
      ))}
    </Box>
  )
}

function stateTint(row: VenueStatusRow): string {
  if (row.state === 'open' && !row.stale) return 'green'
  if (row.state === 'closed') return 'red'
  if (row.stale || row.state === 'stale') return 'red'
  return 'yellow'
}

function VenueStatus({ rows, color }: { rows: VenueStatusRow[]; color: boolean }) {
  return (
    <Box flexDirection="column">
      {rows.map((row) => (
        <Text key={row.venue}>
          {`${row.venue.padEnd(VENUE_WIDTH)}`}
          <Tinted color={color} tint={stateTint(row)}>
            {(row.state === 'open' ? 'connected' : row.state).padEnd(13)}
          </Tinted>
          {`reconnects ${row.reconnects}  resyncs ${row.resyncs}  `}
          {row.stale ? (
            <Tinted color={color} tint="red">
              {'stale  '}
            </Tinted>
          ) : (
            'fresh  '
          )}
          {`${row.messagesPerSecond.toFixed(0)} msg/s  p50 ${msCell(row.latencyP50Ms, 0).trim()}`}
          {row.reason === null
            ? ''
            : `\n${' '.repeat(VENUE_WIDTH)}${row.reason.length > 80 ? `${row.reason.slice(0, 79)}…` : row.reason}`}
        </Text>
      ))}
    </Box>
  )
}

/** The full-screen `watch` dashboard, drawn from a snapshot. */
export function Dashboard({ snapshot, color }: DashboardProps) {
  return (
    <Box flexDirection="column">
      <Text>
        <Tinted color={color} tint="magenta" bold>
          tickmesh watch
        </Tinted>
        {` · ${snapshot.source} · ${elapsedText(snapshot.elapsedMs)} · q to quit`}
      </Text>
      <Text> </Text>
      {snapshot.symbols.map((panel) => (
        <SymbolTable key={panel.symbol} panel={panel} color={color} />
      ))}
      <Opportunities
        rows={snapshot.opportunities}
        recent={snapshot.recentlyClosed}
        opened={snapshot.openedCount}
        closed={snapshot.closedCount}
        color={color}
      />
      <VenueStatus rows={snapshot.venues} color={color} />
      {snapshot.warnings.slice(-3).map((warning) => (
        <Tinted key={warning} color={color} tint="yellow">
          {warning}
        </Tinted>
      ))}
    </Box>
  )
}
