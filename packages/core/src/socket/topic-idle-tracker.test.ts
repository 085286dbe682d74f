import { describe, expect, it } from 'vitest'
import { TopicIdleTracker } from './topic-idle-tracker'

function feed(tracker: TopicIdleTracker, topic: string, start: number, gaps: readonly number[]): number {
  let now = start
  for (const gap of gaps) {
    now += gap
    tracker.touch(topic, now)
  }
  return now
}

describe('TopicIdleTracker', () => {
  it('flags a busy topic within seconds and keeps a quiet one unflagged', () => {
    const tracker = new TopicIdleTracker({ minMs: 1_000, maxMs: 60_000, multiplier: 8 })
    tracker.watch('busy', 0)
    tracker.watch('quiet', 0)
    // Busy: ~50 ms gaps with jitter. Quiet: 5–15 s gaps.
    const busyGaps = Array.from({ length: 400 }, (_, index) => 40 + (index % 5) * 5)
    const quietGaps = [10_000, 5_000, 15_000, 8_000, 12_000, 6_000, 14_000]
    const busyEnd = feed(tracker, 'busy', 0, busyGaps)
    const quietEnd = feed(tracker, 'quiet', 0, quietGaps)
    expect(tracker.thresholdMs('busy')).toBe(1_000)
    const quietThreshold = tracker.thresholdMs('quiet')
    expect(quietThreshold).toBeGreaterThan(20_000)
    expect(quietThreshold).toBeLessThanOrEqual(60_000)
    // Busy silent 1.2 s → stale; quiet silent 16 s (longer than any gap seen) → not stale.
    expect(tracker.findStale(busyEnd + 1_200)?.topic).toBe('busy')
    tracker.unwatch('busy')
    expect(tracker.findStale(quietEnd + 16_000)).toBeNull()
    expect(tracker.findStale(quietEnd + quietThreshold + 1)?.topic).toBe('quiet')
  })

  it('does not alarm on a perfectly regular topic arriving slightly late', () => {
    const tracker = new TopicIdleTracker({ minMs: 100, maxMs: 60_000 })
    tracker.watch('regular', 0)
    const end = feed(
      tracker,
      'regular',
      0,
      Array.from({ length: 50 }, () => 10_000),
    )
    expect(tracker.findStale(end + 12_000)).toBeNull()
  })

  it('uses maxMs until warmed up, and forgets the gap across a restart', () => {
    const tracker = new TopicIdleTracker({ minMs: 100, maxMs: 5_000 })
    tracker.watch('new', 0)
    expect(tracker.thresholdMs('new')).toBe(5_000)
    expect(tracker.findStale(4_000)).toBeNull()
    expect(tracker.findStale(5_001)?.topic).toBe('new')
    const end = feed(tracker, 'new', 0, [10, 10, 10, 10, 10, 10])
    tracker.restart(end + 3_000)
    // The first gap after a restart includes subscribe latency and is not learned.
    tracker.touch('new', end + 3_500)
    expect(tracker.thresholdMs('new')).toBe(100)
  })
})
