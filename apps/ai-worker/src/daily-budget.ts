import { ConfigError } from '@tickmesh/core'

export interface BudgetSnapshot {
  /** The UTC day the figures belong to (`2026-11-25`). */
  day: string
  limitUsd: number
  spentUsd: number
  /** Estimated cost of calls in flight. */
  reservedUsd: number
  remainingUsd: number
  calls: number
  /** Calls refused because the budget would be exceeded. */
  refused: number
  exhausted: boolean
}

/** A claim on the budget for one call, settled with its actual cost. */
export interface BudgetReservation {
  readonly estimateUsd: number
  settle(actualUsd: number): void
}

/**
 * A daily spending cap in dollars, reset at UTC midnight. Calls reserve their estimated cost before
 * they start so that concurrent calls cannot together overshoot the cap; the actual cost replaces
 * the estimate when the call ends (an estimate can be exceeded by one call's underestimate).
 */
export class DailyBudget {
  private day: string
  private spent = 0
  private reserved = 0
  private calls = 0
  private refused = 0

  constructor(
    readonly limitUsd: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(Number.isFinite(limitUsd) && limitUsd >= 0)) {
      throw new ConfigError('The daily budget must be a non-negative number of dollars.', {
        details: { limitUsd },
        hint: 'Use --budget-usd 5 (0 allows no model calls).',
      })
    }
    this.day = utcDay(now())
  }

  /** Reserves `estimateUsd`, or returns null (and counts a refusal) when it would exceed the cap. */
  reserve(estimateUsd: number): BudgetReservation | null {
    this.roll()
    if (this.spent + this.reserved + estimateUsd > this.limitUsd || this.spent >= this.limitUsd) {
      this.refused++
      return null
    }
    this.reserved += estimateUsd
    const day = this.day
    let settled = false
    return {
      estimateUsd,
      settle: (actualUsd: number) => {
        if (settled) return
        settled = true
        this.roll()
        // A call that straddled midnight is charged to the new day; its reservation left with the old one.
        if (day === this.day) this.reserved = Math.max(0, this.reserved - estimateUsd)
        this.spent += actualUsd
        this.calls++
      },
    }
  }

  get exhausted(): boolean {
    this.roll()
    return this.spent >= this.limitUsd
  }

  snapshot(): BudgetSnapshot {
    this.roll()
    return {
      day: this.day,
      limitUsd: this.limitUsd,
      spentUsd: this.spent,
      reservedUsd: this.reserved,
      remainingUsd: Math.max(0, this.limitUsd - this.spent),
      calls: this.calls,
      refused: this.refused,
      exhausted: this.spent >= this.limitUsd,
    }
  }

  private roll(): void {
    const day = utcDay(this.now())
    if (day === this.day) return
    this.day = day
    this.spent = 0
    this.reserved = 0
    this.calls = 0
    this.refused = 0
  }
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10)
}
