// A seedable PRNG (mulberry32): the market never uses Math.random, so a seed replays exactly.

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (Box-Muller). */
  normal(): number
  /** Integer in [min, max]. */
  int(min: number, max: number): number
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    normal() {
      // 1 - next() is in (0, 1], so the log is finite.
      const u = 1 - next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1))
    },
  }
}
