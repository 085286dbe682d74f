import { describe, expect, it } from 'vitest'
import { OkxConnectionGate } from './okx-connection-gate'

function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let index = 0; index < sorted.length; index++) {
    let count = 0
    for (const other of sorted)
      if (other >= (sorted[index] as number) && other < (sorted[index] as number) + windowMs) count++
    most = Math.max(most, count)
  }
  return most
}

describe('OkxConnectionGate', () => {
  it('spreads a storm of reconnects so no 1 s window holds more than 3 connection attempts', () => {
    let clock = 10_000
    const gate = new OkxConnectionGate(3, 1_000, () => clock)
    const attempts: number[] = []
    // Three connections open at once, then all drop and eight reconnects are planned at the same instant.
    for (let index = 0; index < 3; index++) {
      gate.record()
      attempts.push(clock)
    }
    clock += 200
    const delays = Array.from({ length: 8 }, () => gate.reserve(0))
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0)
      attempts.push(clock + delay)
    }
    expect(maxInAnyWindow(attempts, 1_000)).toBeLessThanOrEqual(3)
    // The wait is what the limit needs, not more: 8 reconnects fit within about 3 s.
    expect(Math.max(...delays)).toBeLessThan(4_000)
  })

  it('an attempt made at a reserved time replaces its reservation instead of counting twice', () => {
    let clock = 0
    const gate = new OkxConnectionGate(3, 1_000, () => clock)
    const first = gate.reserve(100)
    clock += first
    gate.record()
    clock += 10
    // Two more fit in the same second: the reservation and its attempt are one connection.
    expect(gate.reserve(0)).toBe(0)
    expect(gate.reserve(0)).toBe(0)
    expect(gate.reserve(0)).toBeGreaterThan(900)
  })

  it('keeps the backoff jitter: a free window adds no delay beyond the policy', () => {
    const gate = new OkxConnectionGate()
    const backoff = gate.backoff({ baseDelayMs: 1, maxDelayMs: 1 })
    expect(backoff.retryDelayMs?.(1)).toBeLessThanOrEqual(1)
  })
})
