import { render, useInput, useStdin } from 'ink'
import type { ReactElement } from 'react'
import type { CliIo } from '../io'

/** Quits on `q`, Escape or Ctrl-C when the keyboard can be read in raw mode. */
function QuitKeys({ onQuit }: { onQuit: () => void }) {
  const { isRawModeSupported } = useStdin()
  useInput(
    (input, key) => {
      if (input === 'q' || input === 'Q' || key.escape || (key.ctrl && input === 'c')) onQuit()
    },
    { isActive: isRawModeSupported === true },
  )
  return null
}

export interface FullScreen {
  /** Unmounts and restores the terminal (raw mode off, cursor back). */
  close(): void
}

/**
 * Draws `frame()` now and then every `intervalMs` (the data is mutated in place elsewhere: the redraw
 * rate is fixed however fast events arrive) until `close()`. `q`/Escape/Ctrl-C call `onQuit`.
 */
export function mountFullScreen(
  io: CliIo,
  frame: () => ReactElement,
  intervalMs: number,
  onQuit: () => void,
): FullScreen {
  const view = (): ReactElement => (
    <>
      {frame()}
      <QuitKeys onQuit={onQuit} />
    </>
  )
  const instance = render(view(), {
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    ...(io.stdin === undefined ? {} : { stdin: io.stdin as NodeJS.ReadStream }),
    exitOnCtrlC: false,
    patchConsole: false,
  })
  const timer = setInterval(() => instance.rerender(view()), intervalMs)
  let closed = false
  return {
    close: () => {
      if (closed) return
      closed = true
      clearInterval(timer)
      instance.rerender(view())
      instance.unmount()
      instance.cleanup()
    },
  }
}
