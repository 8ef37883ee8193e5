import { describe, expect, it } from 'vitest';
import { parseHostStartMs, parseSpringStartMs, readProcessRss } from '../../../deploy/local/footprint.ts';

describe('footprint figures', () => {
  it('takes the JVM-to-ready time from Spring Boot’s Started line, else its own start time', () => {
    const log =
      '2026-12-05 INFO  c.e.o.OrderServiceApplication : Started OrderServiceApplication in 9.812 seconds (process running for 11.204)\n';
    expect(parseSpringStartMs(log)).toBe(11204);
    expect(parseSpringStartMs('Started App in 2.5 seconds\n')).toBe(2500);
    expect(parseSpringStartMs('Tomcat initialized with port 8080\n')).toBeNull();
  });

  it('takes a component’s start time from the host’s serving line for that component only', () => {
    const log = [
      '{"time":"t","level":"info","component":"order","msg":"serving on http://127.0.0.1:1","startMs":900}',
      '{"time":"t","level":"info","component":"product","msg":"serving on http://127.0.0.1:2","startMs":1234}',
      '{"time":"t","level":"info","compo',
    ].join('\n');
    expect(parseHostStartMs(log, 'product')).toBe(1234);
    expect(parseHostStartMs(log, 'inventory')).toBeNull();
  });

  it('reads the RSS of a live process and null for one that is gone', async () => {
    expect(await readProcessRss(process.pid)).toBeGreaterThan(1_000_000);
    expect(await readProcessRss(2 ** 22 + 7)).toBeNull();
  });
});
