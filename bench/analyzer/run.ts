/**
 * `npm run bench:analyzer`: generates a synthetic Spring estate (~5,000 Java files, 50 services), analyzes it
 * cold (empty cache) and warm (content-hash cache), and prints one JSON line of figures as the last line.
 */
import '../fail-cleanly.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeEstate } from '../../analyzer/index.ts';
import { generateEstate } from './generate.ts';

const root = await mkdtemp(join(tmpdir(), 'migrate-bench-'));
try {
  const estateDir = join(root, 'estate');
  const cacheDir = join(root, 'cache');
  const files = await generateEstate(estateDir);
  const t0 = performance.now();
  const cold = await analyzeEstate(estateDir, { cacheDir });
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const warm = await analyzeEstate(estateDir, { cacheDir });
  const warmSeconds = (performance.now() - t1) / 1000;
  if (JSON.stringify(warm) !== JSON.stringify(cold)) throw new Error('warm result differs from cold');
  const effects = cold.services.reduce((n, s) => n + s.effects.length, 0);
  console.error(
    `services ${cold.services.length}, endpoints ${cold.services.reduce((n, s) => n + s.endpoints.length, 0)}, effects ${effects}, edges ${cold.edges.length}`,
  );
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      files,
      seconds: Number(seconds.toFixed(3)),
      files_per_s: Math.round(files / seconds),
      peak_rss_mb: peakRssMb,
      warm_seconds: Number(warmSeconds.toFixed(3)),
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
