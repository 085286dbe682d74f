// Runs the memory section in a fresh process, so heap and RSS are the adapter's and the market
// view's, not what earlier sections left behind. Started by run.ts; replies over IPC.
import { runMemoryBench } from './memory-bench'
import { VENUES_UNDER_TEST } from './venues'

const checkpoints = JSON.parse(process.env.TICKMESH_BENCH_CHECKPOINTS ?? '[1000000,10000000]') as [
  number,
  number,
]
const venue = VENUES_UNDER_TEST[0]
if (venue === undefined) process.exit(1)
runMemoryBench(venue, checkpoints).then(
  (points) => {
    process.send?.({ venue: venue.venue, points }, () => process.exit(0))
  },
  (error: unknown) => {
    console.error('tickmesh bench memory section failed:', error)
    process.exit(1)
  },
)
