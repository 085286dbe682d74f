import type { RawItem } from '@tickmesh/core'

interface PendingRequest {
  path: string
  search: string
  resolve: (response: Response) => void
  reject: (error: Error) => void
}

/** REST lines passed by the replay cursor that no request has claimed yet (bounded). */
const MAX_UNCLAIMED = 1_000

function splitUrl(url: string): { path: string; search: string } {
  try {
    const parsed = new URL(url, 'http://replay.invalid')
    return { path: parsed.pathname, search: parsed.search }
  } catch {
    const index = url.indexOf('?')
    return index < 0 ? { path: url, search: '' } : { path: url.slice(0, index), search: url.slice(index) }
  }
}

function toResponse(item: RawItem): Response {
  return new Response(item.data, {
    status: item.status ?? 200,
    headers: { 'content-type': 'application/json' },
  })
}

/** What a request gets when the recording holds no answer for its path: a plain 404. */
function notRecorded(path: string, search: string): Response {
  return new Response(JSON.stringify({ error: `not in the recording: ${path}${search}` }), {
    status: 404,
    headers: { 'content-type': 'application/json' },
  })
}

/**
 * Answers an adapter's REST requests during replay from the recording's `rest` lines, in recording
 * order: a request is answered by the first unused line with the same path (the same query preferred),
 * and only once the replay cursor has reached that line, so a snapshot lands between the same frames
 * as it did live. A request the rest of the recording cannot answer gets a 404 at once (the adapter
 * reports it and goes on). Nothing goes to the network.
 */
export class ReplayFetch {
  /** Requests answered, and requests that were still waiting when the recording ended. */
  answered = 0
  unanswered = 0
  private readonly unclaimed: RawItem[] = []
  private readonly pending: PendingRequest[] = []
  private ended = false
  /** REST lines not yet reached, by `path?query` and by `path`: what may still answer a request. */
  private readonly ahead = new Map<string, number>()

  /** Counts a `rest` line the cursor will reach later (a first pass over the file). */
  expect(url: string): void {
    const { path, search } = splitUrl(url)
    this.ahead.set(path + search, (this.ahead.get(path + search) ?? 0) + 1)
    if (search !== '') this.ahead.set(path, (this.ahead.get(path) ?? 0) + 1)
  }

  /** Pass as the processors' `fetch`. */
  readonly fetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const { path, search } = splitUrl(url)
    const claimed = this.claim(path, search)
    if (claimed !== null) {
      this.answered++
      return Promise.resolve(toResponse(claimed))
    }
    if (this.ended || ((this.ahead.get(path + search) ?? 0) === 0 && (this.ahead.get(path) ?? 0) === 0)) {
      this.unanswered++
      return Promise.resolve(notRecorded(path, search))
    }
    return new Promise<Response>((resolve, reject) => {
      const request: PendingRequest = { path, search, resolve, reject }
      this.pending.push(request)
      const signal = init?.signal
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.pending.indexOf(request)
          if (index >= 0) this.pending.splice(index, 1)
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
        },
        { once: true },
      )
    })
  }

  get waiting(): number {
    return this.pending.length
  }

  /** The cursor reached a `rest` line: answer the oldest matching request, or keep it for later. */
  offer(item: RawItem): boolean {
    const { path, search } = splitUrl(item.url)
    this.passed(path + search)
    if (search !== '') this.passed(path)
    let match = this.pending.findIndex((request) => request.path === path && request.search === search)
    if (match < 0) match = this.pending.findIndex((request) => request.path === path)
    if (match >= 0) {
      const [request] = this.pending.splice(match, 1)
      this.answered++
      request!.resolve(toResponse(item))
      return true
    }
    this.unclaimed.push(item)
    if (this.unclaimed.length > MAX_UNCLAIMED) this.unclaimed.shift()
    return false
  }

  /** The recording ended: requests still waiting fail (the adapter reports them as errors). */
  end(): void {
    this.ended = true
    for (const request of this.pending.splice(0)) {
      this.unanswered++
      request.resolve(notRecorded(request.path, request.search))
    }
  }

  private passed(key: string): void {
    const left = (this.ahead.get(key) ?? 0) - 1
    if (left > 0) this.ahead.set(key, left)
    else this.ahead.delete(key)
  }

  private claim(path: string, search: string): RawItem | null {
    let index = this.unclaimed.findIndex((item) => {
      const parts = splitUrl(item.url)
      return parts.path === path && parts.search === search
    })
    if (index < 0) index = this.unclaimed.findIndex((item) => splitUrl(item.url).path === path)
    if (index < 0) return null
    const [item] = this.unclaimed.splice(index, 1)
    return item!
  }
}
