let preopensSet = false;

/**
 * The WIT parser inside componentize-js and jco is itself a component on preview2-shim, which starts on Node with
 * no filesystem preopens: every build or transpile fails with "No such file or directory" until the root is
 * preopened (notes/wasm-toolchain.md). Call before the first componentize/transpile; idempotent.
 */
export async function ensurePreopens(): Promise<void> {
  if (preopensSet) return;
  const fs = (await import('@bytecodealliance/preview2-shim/filesystem')) as unknown as {
    _setPreopens: (preopens: Record<string, string>) => void;
  };
  fs._setPreopens({ '/': '/' });
  preopensSet = true;
}
