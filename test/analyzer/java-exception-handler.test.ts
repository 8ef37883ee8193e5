import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../analyzer/index.ts';

const POM = `<project><modelVersion>4.0.0</modelVersion><artifactId>err-service</artifactId>
<dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>`;

const ADVICE = `package com.err;

import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice
public class ErrorAdvice {
    private final AuditService audit;

    public ErrorAdvice(AuditService audit) {
        this.audit = audit;
    }

    @ExceptionHandler(IllegalStateException.class)
    public String onError(IllegalStateException e) {
        audit.record();
        return "failed";
    }
}
`;

const AUDIT = `package com.err;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

@Service
public class AuditService {
    private final StringRedisTemplate redis;

    public AuditService(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public void record() {
        redis.opsForValue().increment("errors");
    }
}
`;

describe('Java @ExceptionHandler methods', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-exh-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const src = join(dir, 'err-service/src/main/java/com/err');
  await mkdir(src, { recursive: true });
  await writeFile(join(dir, 'err-service/pom.xml'), POM);
  await writeFile(join(src, 'ErrorAdvice.java'), ADVICE);
  await writeFile(join(src, 'AuditService.java'), AUDIT);
  const estate = await analyzeEstate(dir, { readers: [] });

  it('are entry points: their effects are reported with the handler as the chain start', () => {
    // a counter (`increment`) is a Redis data structure operation: kind `redis`
    const redis = estate.services[0]!.effects.filter((e) => e.kind === 'redis');
    expect(redis.map((e) => [e.site.excerpt, e.via.map((v) => v.symbol)])).toEqual([
      ['redis.opsForValue().increment("errors");', ['ErrorAdvice.onError', 'AuditService.record']],
    ]);
  });
});
