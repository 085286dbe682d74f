import type { LiveRun } from '../commands/live-run'
import type { CliContext } from '../context'
import { BookView } from './book-view'
import { mountFullScreen } from './full-screen'

export function runBookView(
  context: CliContext,
  run: LiveRun,
  symbol: string,
  depth: number,
  color: boolean,
  source: string,
): void {
  const { session, stop } = run
  const screen = mountFullScreen(
    context.io,
    () => (
      <BookView
        symbol={symbol}
        book={session.client.view.book(symbol, depth)}
        depth={depth}
        color={color}
        source={source}
      />
    ),
    context.deps.redrawIntervalMs ?? 100,
    () => stop.stop('quit'),
  )
  const unmount = (): void => screen.close()
  stop.done.then(unmount, unmount)
  session.failure.catch(unmount)
}
