/** Writes a synthetic Spring estate: `services` modules × `filesPerService` Java files with every effect kind. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const controller = (pkg: string, i: number): string => `package ${pkg};

import org.springframework.web.bind.annotation.*;
import org.springframework.http.HttpStatus;
import java.util.List;

@RestController
@RequestMapping("/api/r${i}")
public class Resource${i}Controller {
    private final Domain${i}Service service;

    public Resource${i}Controller(Domain${i}Service service) {
        this.service = service;
    }

    @GetMapping("/{id}")
    public Item${i}Dto get(@PathVariable Long id, @RequestParam(required = false) String q) {
        return service.find(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Item${i}Dto create(@RequestBody Item${i}Dto body) {
        return service.create(body);
    }
}
`;

const service = (pkg: string, i: number): string => `package ${pkg};

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import io.nats.client.Connection;
import java.time.Instant;
import java.util.UUID;

@Service
public class Domain${i}Service {
    private static final Logger log = LoggerFactory.getLogger(Domain${i}Service.class);
    private final Item${i}Repository repository;
    private final StringRedisTemplate redis;
    private final KafkaTemplate<String, String> kafka;
    private final Connection nats;
    private final RestClient client;

    @Value("\${downstream.url}")
    private String downstream;

    public Domain${i}Service(Item${i}Repository repository, StringRedisTemplate redis, KafkaTemplate<String, String> kafka, Connection nats, RestClient.Builder builder, @Value("\${peer.url}") String peer) {
        this.repository = repository;
        this.redis = redis;
        this.kafka = kafka;
        this.nats = nats;
        this.client = builder.baseUrl(peer).build();
    }

    // UUID.randomUUID() in a comment: not an effect
    public Item${i}Dto find(Long id) {
        log.info("find {}", id);
        String cached = redis.opsForValue().get("item:" + id);
        var stock = client.get().uri("/api/stock/{id}", id).retrieve().body(String.class);
        return repository.findBySkuCodeIn(java.util.List.of(String.valueOf(id))).isEmpty() ? null : new Item${i}Dto(id, cached, 1.0);
    }

    public Item${i}Dto create(Item${i}Dto dto) {
        Item${i} entity = new Item${i}();
        entity.setSkuCode(UUID.randomUUID().toString());
        entity.setCreatedAt(Instant.now());
        repository.save(entity);
        kafka.send("items.created", entity.getSkuCode());
        nats.publish("items.events", new byte[0]);
        String region = System.getenv("REGION");
        log.debug("created in {}", region);
        return dto;
    }
}
`;

const repository = (pkg: string, i: number): string => `package ${pkg};

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface Item${i}Repository extends JpaRepository<Item${i}, Long> {
    List<Item${i}> findBySkuCodeIn(List<String> skuCodes);
    List<Item${i}> findAllByOrderByIdAsc();
}
`;

const entity = (pkg: string, i: number): string => `package ${pkg};

import jakarta.persistence.*;
import java.time.Instant;

@Entity
@Table(name = "t_item_${i}")
public class Item${i} {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String skuCode;
    private Instant createdAt;

    public Long getId() { return id; }
    public String getSkuCode() { return skuCode; }
    public void setSkuCode(String skuCode) { this.skuCode = skuCode; }
    public Instant getCreatedAt() { return createdAt; }
    public void setCreatedAt(Instant createdAt) { this.createdAt = createdAt; }
}
`;

const dto = (pkg: string, i: number): string => `package ${pkg};

public record Item${i}Dto(Long id, String name, Double price) {}
`;

const POM = `<project><modelVersion>4.0.0</modelVersion>
<dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>
`;

/** Each group of 5 files is one controller/service/repository/entity/DTO set. Returns the Java file count. */
export async function generateEstate(root: string, services = 50, filesPerService = 100): Promise<number> {
  let count = 0;
  for (let s = 0; s < services; s++) {
    const name = `svc-${String(s).padStart(2, '0')}`;
    const pkg = `com.bench.s${s}`;
    const dir = join(root, name, 'src/main/java', ...pkg.split('.'));
    await mkdir(dir, { recursive: true });
    await mkdir(join(root, name, 'src/main/resources'), { recursive: true });
    await writeFile(join(root, name, 'pom.xml'), POM);
    await writeFile(
      join(root, name, 'src/main/resources/application.properties'),
      `downstream.url=\${DOWNSTREAM_URL:http://svc-${String((s + 1) % services).padStart(2, '0')}:8080}\npeer.url=http://svc-00:8080\n`,
    );
    for (let i = 0; i < filesPerService / 5; i++) {
      await writeFile(join(dir, `Resource${i}Controller.java`), controller(pkg, i));
      await writeFile(join(dir, `Domain${i}Service.java`), service(pkg, i));
      await writeFile(join(dir, `Item${i}Repository.java`), repository(pkg, i));
      await writeFile(join(dir, `Item${i}.java`), entity(pkg, i));
      await writeFile(join(dir, `Item${i}Dto.java`), dto(pkg, i));
      count += 5;
    }
  }
  return count;
}
