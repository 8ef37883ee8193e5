package com.example.clinic.billing;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

@SpringBootApplication
public class BillingServiceApplication {

    private static final Logger log = LoggerFactory.getLogger(BillingServiceApplication.class);

    /** The clinic's price list (cents), written to Redis when a code is missing; existing prices are kept. */
    static final Map<String, String> PRICE_LIST = Map.of("checkup", "4500", "vaccination", "3000", "dental", "12000");

    public static void main(String[] args) {
        SpringApplication.run(BillingServiceApplication.class, args);
    }

    @Bean
    public ApplicationRunner seedPrices(StringRedisTemplate redis) {
        return args -> {
            PRICE_LIST.forEach((code, cents) -> redis.opsForHash().putIfAbsent("prices", code, cents));
            log.info("Price list has {} entries", redis.opsForHash().size("prices"));
        };
    }
}
