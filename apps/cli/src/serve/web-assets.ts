import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where `vite build` puts the page, relative to the CLI package root. */
export const WEB_DIST_DIR = 'dist/web'

/**
 * The built page shipped with the CLI: `<package>/dist/web`, found by walking up from this module
 * (it is `dist/bin.js` when installed, `src/serve/web-assets.ts` when run from source).
 */
export function defaultAssetsDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from))
  let packageRoot: string | null = null
  for (let level = 0; level < 5; level++) {
    if (existsSync(join(dir, 'package.json'))) {
      if (existsSync(join(dir, WEB_DIST_DIR, 'index.html'))) return join(dir, WEB_DIST_DIR)
      packageRoot ??= dir
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  // Not built: the server reports the missing index.html with the build command.
  return join(packageRoot ?? dirname(fileURLToPath(from)), WEB_DIST_DIR)
}
