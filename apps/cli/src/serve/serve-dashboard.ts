import { type LiveSettings, runLive } from '../commands/live-run'
import type { CliContext } from '../context'
import type { LiveSession } from '../session'
import type { StopReason } from '../stop'
import type { AiAnalyses } from './ai-analyses'
import { DashboardFeed } from './dashboard-feed'
import { type DashboardServer, startDashboardServer } from './dashboard-server'
import { describeNatsSource } from './nats-source-deps'
import { defaultAssetsDir } from './web-assets'

export interface ServeSettings {
  port: number
  host: string
  /** Net edge for an arbitrage opportunity (fraction) and the notional sizing walks the books for. */
  threshold: number
  notional: number
  updateIntervalMs?: number
  /** A venue silent for longer than this shows as not connected (default 10 s). */
  silentAfterMs?: number
  assetsDir?: string
  /** Print `{"kind":"serve","url":…}` instead of a sentence. */
  json: boolean
  /** The NATS URL events are read from (`--from`), for the page header; the adapters come from deps. */
  from?: string
  /** Run the AI worker's local analyst in-process and show its analyses. */
  ai?: boolean
  /** With `ai`: the first digest after this long (default 15 s) and then every `aiDigestEveryMs` (60 s). */
  aiFirstDigestAfterMs?: number
  aiDigestEveryMs?: number
}

/** What a running dashboard exposes to embedders and tests. */
export interface ServeHandle {
  readonly url: string
  readonly session: LiveSession
  readonly feed: DashboardFeed
  readonly server: DashboardServer
  /** Ends the run as Ctrl-C would. */
  stop(): void
}

/**
 * Opens the live session (simulator or venues), samples it into a `DashboardFeed`, serves the page
 * and the feed, prints the URL and runs until the duration, a signal or `stop()`. Closes everything.
 */
export async function serveDashboard(
  context: CliContext,
  settings: LiveSettings,
  serve: ServeSettings,
  onReady?: (handle: ServeHandle) => void,
): Promise<StopReason> {
  const view = { threshold: serve.threshold, notional: serve.notional }
  const depth = serve.notional > 0 ? { depth: 50 } : {}
  const channels = serve.notional > 0 ? (['bbo', 'ticker', 'book'] as const) : (['bbo', 'ticker'] as const)
  let feed: DashboardFeed | null = null
  let server: DashboardServer | null = null
  let ai: AiAnalyses | null = null
  try {
    return await runLive(context, settings, { channels, view, ...depth }, async (run) => {
      const source = settings.sim
        ? 'simulator'
        : serve.from === undefined
          ? 'live venues'
          : describeNatsSource(serve.from)
      feed = new DashboardFeed({
        source: run.session.client,
        symbols: settings.symbols,
        venues: settings.venues,
        connections: run.session.connections,
        sourceLabel: source,
        arbitrageThreshold: serve.threshold,
        ...(serve.updateIntervalMs === undefined ? {} : { updateIntervalMs: serve.updateIntervalMs }),
        ...(serve.silentAfterMs === undefined ? {} : { silentAfterMs: serve.silentAfterMs }),
      })
      server = await startDashboardServer({
        feed,
        assetsDir: serve.assetsDir ?? defaultAssetsDir(),
        port: serve.port,
        host: serve.host,
      })
      feed.start()
      if (serve.ai === true) {
        const { startAiAnalyses } = await import('./ai-analyses')
        const target = feed
        ai = await startAiAnalyses({
          source: run.session.client,
          symbols: settings.symbols,
          onAnalysis: (row) => target.addAnalysis(row),
          ...(serve.aiFirstDigestAfterMs === undefined
            ? {}
            : { firstDigestAfterMs: serve.aiFirstDigestAfterMs }),
          ...(serve.aiDigestEveryMs === undefined ? {} : { digestEveryMs: serve.aiDigestEveryMs }),
        })
      }
      run.out.line(
        serve.json
          ? JSON.stringify({ kind: 'serve', url: server.url, source, symbols: settings.symbols })
          : `tickmesh dashboard on ${server.url} (${source}; ${settings.symbols.join(', ')}). Ctrl-C stops.`,
      )
      onReady?.({
        url: server.url,
        session: run.session,
        feed,
        server,
        stop: () => run.stop.stop('quit'),
      })
    })
  } finally {
    await (ai as AiAnalyses | null)?.close()
    ;(feed as DashboardFeed | null)?.close()
    await (server as DashboardServer | null)?.close()
  }
}
