// What the README tells Rollup users: node-resolve, and an asset plugin for the package's
// `new URL('….wasm', import.meta.url)`, which Rollup does not handle by itself.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'src/index.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve(), importMetaAssets()],
};
