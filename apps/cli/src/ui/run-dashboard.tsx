import type { LiveRun, LiveSettings } from '../commands/live-run'
import type { CliContext } from '../context'
import { Dashboard } from './dashboard'
import { DashboardModel } from './dashboard-model'
import { mountFullScreen } from './full-screen'

/** Mounts the dashboard for a live run; it unmounts when the run stops. */
export function runDashboard(
  context: CliContext,
  settings: LiveSettings,
  run: LiveRun,
  color: boolean,
): void {
  const { session, stop } = run
  const model = new DashboardModel(settings.symbols, settings.venues, session.symbolsByVenue)
  session.client.onEvent((event) => model.ingest(event))
  session.client.onOpportunity((event) => model.onOpportunity(event))
  const source = settings.sim ? 'simulator (--sim)' : 'live venues'
  const screen = mountFullScreen(
    context.io,
    () => (
      <Dashboard
        snapshot={model.snapshot(session.client.view, session.connections, source, run.warnings)}
        color={color}
      />
    ),
    context.deps.redrawIntervalMs ?? 100,
    () => stop.stop('quit'),
  )
  const unmount = (): void => screen.close()
  stop.done.then(unmount, unmount)
  session.failure.catch(unmount)
}
