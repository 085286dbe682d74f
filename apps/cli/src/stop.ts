/** Why a streaming command stopped. */
export type StopReason = 'duration' | 'signal' | 'quit' | 'end'

/**
 * A promise that resolves when the run should end: after `durationMs`, when `signal` aborts, or when
 * `stop()` is called (the dashboard's `q`). Its timer is cleared by `dispose()` or on resolution.
 */
export class StopController {
  readonly done: Promise<StopReason>
  private resolve!: (reason: StopReason) => void
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly onAbort = (): void => this.stop('signal')
  private stopped = false

  constructor(
    durationMs: number | null,
    private readonly signal?: AbortSignal,
  ) {
    this.done = new Promise<StopReason>((resolve) => {
      this.resolve = resolve
    })
    if (durationMs !== null) this.timer = setTimeout(() => this.stop('duration'), durationMs)
    if (signal?.aborted) this.stop('signal')
    else signal?.addEventListener('abort', this.onAbort, { once: true })
  }

  get isStopped(): boolean {
    return this.stopped
  }

  stop(reason: StopReason): void {
    if (this.stopped) return
    this.stopped = true
    this.dispose()
    this.resolve(reason)
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.signal?.removeEventListener('abort', this.onAbort)
  }
}
