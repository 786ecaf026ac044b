// Bundles the CLI into dist/ with esbuild. One file per entry loads far faster than ink's
// hundreds of ESM modules; the TUI sits behind a dynamic import so non-TUI modes never load it.
import {build} from 'esbuild';
import {existsSync, rmSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!existsSync(path.join(root, 'src/cli.ts'))) {
  process.exit(0);
}
rmSync(path.join(root, 'dist'), {recursive: true, force: true});

await build({
  absWorkingDir: root,
  entryPoints: {cli: 'src/cli.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addon and the optional pty helper stay outside the bundle.
  external: ['better-sqlite3'],
  // Ink imports react-devtools-core only when DEV is set; a stub keeps it out of the bundle.
  alias: {'react-devtools-core': './scripts/devtools-stub.mjs'},
  define: {'process.env.NODE_ENV': '"production"'},
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import {createRequire as __pccCreateRequire} from 'node:module';",
      'const require = __pccCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
