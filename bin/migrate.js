#!/usr/bin/env node
// Entry of the `migrate` command. In a source checkout it runs the TypeScript sources directly (Node >= 22.18
// strips types); an installed package runs the compiled dist/ instead.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `error MIG_USAGE migrate needs Node >= 22.18 (this is ${process.version})\n` +
      'hint: run it through npm (`npm run migrate -- …`), which uses the Node 24 installed in node_modules, or install Node 22/24 LTS\n',
  );
  process.exit(2);
}
const source = new URL('../cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const { runCli } = await import(existsSync(source) ? source.href : compiled.href);
const controller = new AbortController();
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort(new Error(`received ${sig}`));
  });
}
process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
