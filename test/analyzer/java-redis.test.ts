import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../analyzer/index.ts';
import type { Service } from '../../analyzer/model.ts';

const pom = (id: string): string => `<project><modelVersion>4.0.0</modelVersion><artifactId>${id}</artifactId>
<dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>`;

const controller = (pkg: string, service: string): string => `package com.${pkg};

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class Api {
    private final ${service} service;

    public Api(${service} service) {
        this.service = service;
    }

    @GetMapping("/run")
    public String run() {
        return service.run("1");
    }
}
`;

/** Plain values only: opsForValue get/set, delete, hasKey, Jedis get/set/del/exists. */
const CACHE = `package com.cache;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import redis.clients.jedis.Jedis;

@Service
public class CacheService {
    private final StringRedisTemplate redis;
    private final Jedis jedis;

    public CacheService(StringRedisTemplate redis, Jedis jedis) {
        this.redis = redis;
        this.jedis = jedis;
    }

    public String run(String id) {
        redis.opsForValue().set("page:" + id, "x");
        if (redis.hasKey("page:" + id)) redis.delete("page:" + id);
        jedis.set("seen:" + id, "1");
        jedis.del("seen:" + id);
        return redis.opsForValue().get("page:" + id);
    }
}
`;

/** A hash through opsForHash, a Jedis set and counter, and a plain get that must follow them to caps.redis. */
const CART = `package com.cart;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import redis.clients.jedis.Jedis;

@Service
public class CartService {
    private final StringRedisTemplate redis;
    private final Jedis jedis;

    public CartService(StringRedisTemplate redis, Jedis jedis) {
        this.redis = redis;
        this.jedis = jedis;
    }

    public String run(String id) {
        redis.opsForHash().put("cart:" + id, "sku", "1");
        jedis.sadd("carts", id);
        jedis.hgetAll("cart:" + id);
        jedis.incr("cart-count");
        return redis.opsForValue().get("owner:" + id);
    }
}
`;

/** Spring Data Redis: the repository of a @RedisHash entity keeps a hash per entity and an id set. */
const CATALOG = `package com.catalog;

import org.springframework.data.annotation.Id;
import org.springframework.data.redis.core.RedisHash;
import org.springframework.data.repository.CrudRepository;
import org.springframework.stereotype.Service;

@RedisHash("product")
class Product {
    @Id
    private String id;
}

interface ProductRepository extends CrudRepository<Product, String> {
}

@Service
public class CatalogService {
    private final ProductRepository repository;

    public CatalogService(ProductRepository repository) {
        this.repository = repository;
    }

    public String run(String id) {
        repository.save(new Product());
        return repository.findById(id).toString();
    }
}
`;

describe('Java Redis effects: plain values are kv, data structures are redis', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-redis-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  for (const [id, pkg, name, text] of [
    ['cache-service', 'cache', 'CacheService', CACHE],
    ['cart-service', 'cart', 'CartService', CART],
    ['catalog-service', 'catalog', 'CatalogService', CATALOG],
  ] as const) {
    const src = join(dir, id, 'src/main/java/com', pkg);
    await mkdir(src, { recursive: true });
    await writeFile(join(dir, id, 'pom.xml'), pom(id));
    await writeFile(join(src, 'Api.java'), controller(pkg, name));
    await writeFile(join(src, `${name}.java`), text);
  }
  const estate = await analyzeEstate(dir, { readers: [] });
  const service = (id: string): Service => estate.services.find((s) => s.id === id)!;
  const redisRows = (id: string): string[] =>
    service(id)
      .effects.filter((e) => e.kind === 'kv' || e.kind === 'redis')
      .map((e) => `${e.site.line} ${e.kind} ${e.detail.api} ${e.detail.summary}`);

  it('keeps opsForValue get/set, delete, hasKey and Jedis get/set/del on kv (wasi:keyvalue): ready everywhere', () => {
    expect(redisRows('cache-service')).toEqual([
      '18 kv StringRedisTemplate.opsForValue set',
      '19 kv StringRedisTemplate.hasKey hasKey page:{id}',
      '19 kv StringRedisTemplate.delete delete page:{id}',
      '20 kv Jedis.set set seen:{id}',
      '21 kv Jedis.del del seen:{id}',
      '22 kv StringRedisTemplate.opsForValue get',
    ]);
    const cache = service('cache-service');
    expect(cache.effects.find((e) => e.kind === 'kv')?.capability.wasmcloud).toBe(
      'wasi:keyvalue/store@0.2.0-draft',
    );
    expect([
      cache.readiness.wasmcloud.level,
      cache.readiness.spin.level,
      cache.readiness.embedded.level,
    ]).toEqual(['ready', 'ready', 'ready']);
  });

  it('classes opsForHash and Jedis sadd/hgetAll/incr as redis, and moves the service’s plain get with them', () => {
    expect(redisRows('cart-service')).toEqual([
      '18 redis StringRedisTemplate.opsForHash put',
      '19 redis Jedis.sadd sadd carts',
      '20 redis Jedis.hgetAll hgetAll cart:{id}',
      '21 redis Jedis.incr incr cart-count',
      '22 redis StringRedisTemplate.opsForValue get',
    ]);
    expect(estate.findings.filter((f) => f.code === 'redis-mode').map((f) => [f.service, f.line])).toEqual([
      ['cart-service', 22],
    ]);
  });

  it('classes a @RedisHash repository as redis: port-needed on wasmCloud, ready on Spin and embedded', () => {
    expect(redisRows('catalog-service')).toEqual([
      '26 redis ProductRepository.save set product (hash product:<id>, set product)',
      '27 redis ProductRepository.findById get product (hash product:<id>, set product)',
    ]);
    const catalog = service('catalog-service');
    expect(catalog.effects.find((e) => e.kind === 'redis')?.capability).toEqual({
      wasmcloud: null,
      spin: 'fermyon:spin/redis@2.0.0',
      spin4: 'fermyon:spin/redis@2.0.0',
      embedded: 'fermyon:spin/redis@2.0.0',
    });
    expect(catalog.readiness.wasmcloud).toMatchObject({
      level: 'port-needed',
      blockers: [{ kind: 'redis', severity: 'port-needed', evidence: [{ line: 26 }, { line: 27 }] }],
    });
    expect([catalog.readiness.spin.level, catalog.readiness.embedded.level]).toEqual(['ready', 'ready']);
  });

  it('draws one kv edge to the Redis store for kv and redis effects alike', () => {
    expect(estate.edges.filter((e) => e.kind === 'kv').map((e) => [e.from, e.kind, e.toKind])).toEqual([
      ['cache-service', 'kv', 'unresolved'],
      ['cart-service', 'kv', 'unresolved'],
      ['catalog-service', 'kv', 'unresolved'],
    ]);
  });
});
