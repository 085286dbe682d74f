import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The dashboard page of `tickmesh serve`: built into dist/web/ (after tsup, whose clean empties dist)
// and shipped in the package, so the CLI serves it with no extra step. Relative asset URLs.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // lightweight-charts is ~170 kB minified; one chunk is fine for a localhost page.
    chunkSizeWarningLimit: 400,
  },
})
