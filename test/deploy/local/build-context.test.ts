import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getBaseImages } from '../../../deploy/local/base-images.ts';
import { isIgnored, listBuildContext, parseDockerignore } from '../../../deploy/local/build-context.ts';

describe('build context', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('applies .dockerignore with `**`, `!` exceptions and the last match winning', () => {
    const rules = parseDockerignore('# comment\n**\n!*/Dockerfile\n!*/target/*.jar\n*/target/skip.jar\n');
    expect(isIgnored('order/Dockerfile', rules)).toBe(false);
    expect(isIgnored('order/target/order.jar', rules)).toBe(false);
    expect(isIgnored('order/target/skip.jar', rules)).toBe(true);
    expect(isIgnored('order/src/Main.java', rules)).toBe(true);
  });

  it('lists the files docker build would send, always with the Dockerfile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-ctx-'));
    dirs.push(dir);
    const files = [
      'svc/Dockerfile',
      'svc/target/svc.jar',
      'svc/src/Main.java',
      'README.md',
      'node_modules/x/i.js',
    ];
    for (const file of files) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), 'x');
    }
    await writeFile(join(dir, '.dockerignore'), 'node_modules\n*/src\n*.md\n');
    expect(await listBuildContext(dir, 'svc/Dockerfile')).toEqual([
      '.dockerignore',
      'svc/Dockerfile',
      'svc/target/svc.jar',
    ]);
    // BuildKit's per-Dockerfile ignore file replaces the context's
    await writeFile(join(dir, 'svc/Dockerfile.dockerignore'), '**\n!svc/target/*.jar\n');
    expect(await listBuildContext(dir, 'svc/Dockerfile')).toEqual(['svc/Dockerfile', 'svc/target/svc.jar']);
    await writeFile(join(dir, 'svc/Dockerfile.dockerignore'), '**\n');
    expect(await listBuildContext(dir, 'svc/Dockerfile')).toEqual(['svc/Dockerfile']);
  });

  it('names the images a Dockerfile builds FROM, with ARG defaults and build arguments', () => {
    const text = [
      'ARG BASE_IMAGE=eclipse-temurin:17-jre',
      'FROM maven:3.9 AS build',
      'RUN mvn package',
      'FROM ${BASE_IMAGE}',
      'COPY --from=build /a /b',
      'FROM build AS again',
      'FROM scratch',
    ].join('\n');
    expect(getBaseImages(text, {})).toEqual(['maven:3.9', 'eclipse-temurin:17-jre']);
    expect(getBaseImages(text, { BASE_IMAGE: 'my/jre:17' })).toEqual(['maven:3.9', 'my/jre:17']);
  });
});
