// `pnpm bench` runs every section and prints markdown tables whose key figures are ratios to a floor
// measured in the same run; `pnpm bench --quick` is the CI smoke run (small sizes, no thresholds,
// well under a minute). `--only decode,books,…` runs a subset. Results are also written to
// bench/results/latest(-quick).md.
import { mkdirSync, writeFileSync } from 'node:fs'
import { aggregatorTable, runAggregatorBench } from './aggregator-bench'
import { bookTable, runBookBench } from './book-bench'
import { bookStreamTable, runBookStreamBench } from './book-stream-bench'
import { captureFrames } from './capture-frames'
import { decodeTable, runDecodeBench } from './decode-bench'
import { latencyTable, runE2eBench, throughputTable } from './e2e-bench'
import { rate } from './format'
import { type GoalInputs, goalsTable } from './goals'
import { currentLoad, machineInfo } from './machine'
import { memoryTable, runMemoryBenchIsolated } from './memory-bench'
import { runSimulatorFirehose } from './simulator-firehose'
import { VENUES_UNDER_TEST } from './venues'

const SECTIONS = ['decode', 'books', 'e2e', 'ccxtbooks', 'aggregator', 'memory'] as const
type Section = (typeof SECTIONS)[number]

function parseArgs(argv: readonly string[]): { quick: boolean; only: Set<Section> } {
  const quick = argv.includes('--quick')
  const onlyArg = argv.find((arg) => arg.startsWith('--only='))
  const only = new Set<Section>(
    onlyArg === undefined
      ? SECTIONS
      : (onlyArg
          .slice('--only='.length)
          .split(',')
          .filter((name): name is Section => (SECTIONS as readonly string[]).includes(name)) as Section[]),
  )
  return { quick, only }
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2))
  const started = performance.now()
  const machine = machineInfo()
  const out: string[] = []
  const goals: GoalInputs = {}
  const print = (text: string): void => {
    out.push(text)
    console.log(text)
  }
  print(`# tickmesh benchmarks${quick ? ' (quick smoke run: small sizes, figures are indicative only)' : ''}`)
  print('')
  print(`- CPU: ${machine.cpu} (${machine.cores} cores visible)`)
  print(`- Node: ${machine.node}`)
  print(`- Date: ${machine.date}`)
  print(`- Commit: ${machine.commit}`)
  print(`- Load average at start (1/5/15 min): ${machine.loadAverage}`)

  if (only.has('decode')) {
    const captures = await captureFrames(VENUES_UNDER_TEST, {
      framesPerChannel: quick ? 500 : 3000,
      maxMs: quick ? 1500 : 4000,
    })
    const rows = await runDecodeBench(VENUES_UNDER_TEST, captures, {
      rounds: quick ? 3 : 21,
      framesPerRound: quick ? 500 : 2000,
    })
    print('\n## 1. Decode (messages/s, ratio to JSON.parse of the same frames)\n')
    print(decodeTable(rows))
    goals.decode = rows
  }
  if (only.has('books')) {
    print('\n## 2. Order books (ns per level update, OrderBook vs a plain Map)\n')
    const books = runBookBench({ rounds: quick ? 3 : 15, updates: quick ? 5_000 : 20_000 })
    goals.books = books
    print(bookTable(books))
  }
  if (only.has('e2e')) {
    const results = await runE2eBench(VENUES_UNDER_TEST, {
      repetitions: quick ? 1 : 3,
      latencyRepetitions: quick ? 1 : 2,
      firehoseCount: quick ? 20_000 : 300_000,
      ccxtFirehoseCount: quick ? 5_000 : 100_000,
      rates: quick
        ? [{ rate: 10_000, durationMs: 300 }]
        : [
            { rate: 1_000, durationMs: 4_000 },
            { rate: 10_000, durationMs: 2_000 },
            { rate: 50_000, durationMs: 1_000 },
          ],
      tickerRates: quick ? [] : [{ rate: 10_000, durationMs: 2_000 }],
      withCcxt: true,
    })
    goals.e2e = results
    print('\n## 3 + 4. End to end, floor and ccxt: firehose throughput (messages/s received)\n')
    print(throughputTable(results.throughput, true))
    const binance = VENUES_UNDER_TEST[0]
    if (binance !== undefined) {
      const sim = await runSimulatorFirehose(binance, quick ? 1_000 : 3_000)
      print(
        `\nThe simulator's own firehose (market engine stepping every instrument) as a producer, for comparison: ${rate(sim.bareFrames)} BTCUSDT aggTrade frames/s to a bare ws client, ${rate(sim.tickmeshTrades)} trades/s through the tickmesh adapter: too slow to be the floor, hence the bench producer above.`,
      )
    }
    print('\n## 3 + 4. End to end, floor and ccxt: latency at fixed rates (send stamp → callback)\n')
    print(latencyTable(results.latency))
  }
  if (only.has('ccxtbooks')) {
    // The simulator is the producer here. Firehose runs give CPU per update; paced runs (100
    // messages/s per stream, Binance's diff stream stays at its real 100 ms) give latency. Quick: Binance's
    // firehose only, briefly.
    const venues = quick ? VENUES_UNDER_TEST.slice(0, 1) : VENUES_UNDER_TEST
    const firehose = {
      repetitions: quick ? 1 : 3,
      warmupMs: quick ? 300 : 1_000,
      durationMs: quick ? 1_000 : 3_000,
      rate: 100,
      tickIntervalMs: 2,
      firehose: true,
    }
    const paced = {
      repetitions: 1,
      warmupMs: 1_000,
      durationMs: 6_000,
      rate: 100,
      tickIntervalMs: 2,
      firehose: false,
    }
    const cpuRows = await runBookStreamBench(venues, firehose)
    const latencyRows = quick ? [] : await runBookStreamBench(venues, paced)
    print(
      `\n## 4. Order books vs ccxt pro watchOrderBook (the simulator as producer; each client in its own process on a fresh same-seed simulator; CPU: ${firehose.repetitions} × ${firehose.durationMs / 1000} s firehose, median; ${quick ? 'latency skipped in --quick' : `latency: ${paced.durationMs / 1000} s at ${paced.rate} messages/s per stream, market tick ${paced.tickIntervalMs} ms, exchange timestamp → callback`})\n`,
    )
    print(bookStreamTable(cpuRows, latencyRows))
  }
  if (only.has('aggregator')) {
    print('\n## 5. Aggregator (MarketView.ingest vs a plain loop)\n')
    const aggregator = runAggregatorBench({ rounds: quick ? 3 : 15, events: quick ? 20_000 : 100_000 })
    goals.aggregator = aggregator
    print(aggregatorTable(aggregator))
  }
  if (only.has('memory')) {
    const checkpoints: [number, number] = quick ? [50_000, 500_000] : [1_000_000, 10_000_000]
    const { venue, points } = await runMemoryBenchIsolated(checkpoints)
    print('\n## 6. Memory (fresh process, after a full GC at each point)\n')
    print(memoryTable(venue, points))
    goals.memory = points
  }

  print('\n## Goals\n')
  print(goalsTable(goals))
  print('')
  print(`Load average at end (1/5/15 min): ${currentLoad()}`)
  print(`Total time: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const dir = new URL('../results/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  writeFileSync(new URL(quick ? 'latest-quick.md' : 'latest.md', dir), `${out.join('\n')}\n`)
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('tickmesh bench failed:', error)
    process.exit(1)
  },
)
