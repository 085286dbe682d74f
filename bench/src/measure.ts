// Timing helpers shared by every section. The machine is shared and noisy, so candidates are timed in
// interleaved rounds (floor, A, B, floor, A, B, …) and each reports its fastest round: other
// processes only ever add time, so the best round is the closest to what the code itself costs,
// and interleaving gives the candidate and its floor the same chances.

/** High-resolution wall clock in ms, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}

export interface TimedCase {
  name: string
  /** Runs the work once and returns how many operations it did (frames, updates, events). */
  run: () => number
}

export interface CaseResult {
  name: string
  /** Nanoseconds per operation in the fastest round. */
  nsPerOp: number
  /** Nanoseconds per operation, median round (how much the load moved things). */
  medianNsPerOp: number
  opsPerSecond: number
}

export interface InterleaveOptions {
  rounds: number
  /** Untimed rounds first so the JIT has compiled every case. */
  warmupRounds: number
}

export function interleave(cases: readonly TimedCase[], options: InterleaveOptions): CaseResult[] {
  const samples: number[][] = cases.map(() => [])
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const start = performance.now()
      const ops = cases[i]!.run()
      const elapsed = performance.now() - start
      if (round >= options.warmupRounds && ops > 0) samples[i]!.push((elapsed * 1e6) / ops)
    }
  }
  return cases.map((entry, i) => {
    const nsPerOp = Math.min(...samples[i]!)
    return { name: entry.name, nsPerOp, medianNsPerOp: median(samples[i]!), opsPerSecond: 1e9 / nsPerOp }
  })
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >>> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The `q` quantile (0..1) of values sorted ascending, nearest rank. */
export function quantile(sorted: Float64Array | readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[index]!
}

/** Keeps a value alive so the optimizer cannot drop the work that produced it. */
export const blackhole = { value: 0 }
