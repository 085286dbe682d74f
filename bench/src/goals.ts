// The goals, each with the figure measured in this run and the gap when not met, so no goal
// is silently dropped or redefined. Sections that did not run are reported as such.
import type { AggregatorResult } from './aggregator-bench'
import type { BookRow } from './book-bench'
import type { DecodeRow } from './decode-bench'
import type { E2eResults } from './e2e-bench'
import { markdownTable, micros, ns, rate, ratio, verdict } from './format'
import type { MemoryPoint } from './memory-bench'

export interface GoalInputs {
  decode?: readonly DecodeRow[]
  books?: readonly BookRow[]
  e2e?: E2eResults
  aggregator?: AggregatorResult
  memory?: readonly MemoryPoint[]
}

type Row = [goal: string, measured: string, status: string]

const notRun = (goal: string): Row => [goal, 'section not run', '—']

function decodeGoal(rows: readonly DecodeRow[] | undefined): Row {
  const goal = '1. decode ≤ 1.5× JSON.parse, every venue and channel'
  if (rows === undefined || rows.length === 0) return notRun(goal)
  const met = rows.filter((row) => row.ratio <= 1.5).length
  const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a))
  const best = rows.reduce((a, b) => (b.ratio < a.ratio ? b : a))
  return [
    goal,
    `${met}/${rows.length} rows met; ${ratio(best.ratio)} (${best.venue} ${best.channel}) to ${ratio(worst.ratio)} (${worst.venue} ${worst.channel})`,
    met === rows.length ? 'met' : `**not met**: worst gap ${ratio(worst.ratio - 1.5)} over`,
  ]
}

function bookGoals(rows: readonly BookRow[] | undefined): Row[] {
  const under = '2. book update < 1 µs at 400 levels'
  const growth = '2. cost grows no faster than log(depth)'
  if (rows === undefined || rows.length === 0) return [notRun(under), notRun(growth)]
  const at400 = rows.find((row) => row.depth === 400)
  const first = rows[0]!
  const last = rows[rows.length - 1]!
  const grew = last.plainNs / first.plainNs
  const bound = Math.log(last.depth) / Math.log(first.depth)
  return [
    [
      under,
      at400 === undefined ? 'n/a' : ns(at400.plainNs),
      verdict(at400 !== undefined && at400.plainNs < 1000),
    ],
    [
      growth,
      `${first.depth}→${last.depth} levels: ${ratio(grew)} (log bound ${ratio(bound)})`,
      grew <= bound ? 'met' : `**not met**: ${ratio(grew / bound)} the bound`,
    ],
  ]
}

function e2eGoals(results: E2eResults | undefined): Row[] {
  const latencyGoal = '3. p99 added latency ≤ 100 µs at 10k/s (trades, vs bare ws)'
  const ccxtThroughput = '4. ≥ 5× ccxt throughput, every venue'
  const ccxtLatency = '4. lower p99 than ccxt at 10k/s, every venue (trades)'
  const floorGoal = '4. end-to-end throughput within 10 % of ws + JSON.parse'
  if (results === undefined)
    return [notRun(latencyGoal), notRun(ccxtThroughput), notRun(ccxtLatency), notRun(floorGoal)]
  const rows: Row[] = []
  const at10k = results.latency.filter((row) => row.rate === 10_000 && row.channel === 'trades')
  const added: string[] = []
  let latencyMet = true
  let worstAdded = Number.NEGATIVE_INFINITY
  const lower: string[] = []
  let lowerMet = true
  for (const mine of at10k.filter((row) => row.consumer === 'tickmesh')) {
    const floor = at10k.find((row) => row.venue === mine.venue && row.consumer === 'ws')
    const ccxt = at10k.find((row) => row.venue === mine.venue && row.consumer === 'ccxt')
    if (floor !== undefined) {
      const value = mine.p99 - floor.p99
      worstAdded = Math.max(worstAdded, value)
      if (value > 0.1) latencyMet = false
      added.push(`${mine.venue} ${micros(value)} (in-adapter ${micros(mine.processing?.[1] ?? Number.NaN)})`)
    }
    if (ccxt !== undefined) {
      if (!(mine.p99 < ccxt.p99)) lowerMet = false
      lower.push(`${mine.venue} ${micros(mine.p99)} vs ${micros(ccxt.p99)}`)
    }
  }
  rows.push([
    latencyGoal,
    added.join('; '),
    latencyMet ? 'met' : `**not met**: worst ${micros(worstAdded)}, ${micros(worstAdded - 0.1)} over`,
  ])
  const vsCcxt = results.throughput.map((row) => ({
    row,
    value: row.perSecond.tickmesh / row.perSecond.ccxt,
  }))
  const vsFloor = results.throughput.map((row) => ({
    row,
    value: row.perSecond.tickmesh / row.perSecond['ws+JSON.parse'],
  }))
  const range = (list: { row: { venue: string; channel: string }; value: number }[]): string => {
    const sorted = [...list].sort((a, b) => a.value - b.value)
    const low = sorted[0]
    const high = sorted[sorted.length - 1]
    return low === undefined || high === undefined
      ? 'n/a'
      : `${ratio(low.value)} (${low.row.venue} ${low.row.channel}) to ${ratio(high.value)} (${high.row.venue} ${high.row.channel})`
  }
  const minCcxt = Math.min(...vsCcxt.map((entry) => entry.value))
  rows.push([
    ccxtThroughput,
    range(vsCcxt),
    minCcxt >= 5 ? 'met' : `**not met**: lowest ${ratio(minCcxt)}, needs ${ratio(5 / minCcxt)} more`,
  ])
  rows.push([ccxtLatency, lower.join('; '), lowerMet ? 'met' : '**not met** on some venues'])
  const minFloor = Math.min(...vsFloor.map((entry) => entry.value))
  rows.push([
    floorGoal,
    range(vsFloor),
    minFloor >= 0.9 ? 'met' : `**not met**: lowest ${ratio(minFloor)} of the floor (goal 0.90×)`,
  ])
  return rows
}

export function goalsTable(inputs: GoalInputs): string {
  const rows: Row[] = [decodeGoal(inputs.decode), ...bookGoals(inputs.books), ...e2eGoals(inputs.e2e)]
  const aggregator = inputs.aggregator
  rows.push(
    aggregator === undefined
      ? notRun('5. aggregator events/s vs a plain loop (no numeric goal)')
      : [
          '5. aggregator events/s vs a plain loop (no numeric goal)',
          `${ns(aggregator.viewNs)}/event, ${ratio(aggregator.viewNs / aggregator.floorNs)} the plain loop`,
          'reported',
        ],
  )
  const memory = inputs.memory
  const first = memory?.[memory.length - 2]
  const last = memory?.[memory.length - 1]
  if (first === undefined || last === undefined || first.messages === 0) {
    rows.push(notRun('6. heap and RSS growth < 5 % between 1M and 10M messages'))
  } else {
    const heap = (last.heapUsed - first.heapUsed) / first.heapUsed
    const rss = (last.rss - first.rss) / first.rss
    rows.push([
      '6. heap and RSS growth < 5 % between 1M and 10M messages',
      `${rate(first.messages)} → ${rate(last.messages)}: heap ${(heap * 100).toFixed(1)} %, RSS ${(rss * 100).toFixed(1)} %`,
      verdict(heap < 0.05 && rss < 0.05),
    ])
  }
  return markdownTable(['goal', 'measured in this run', 'status'], rows)
}
