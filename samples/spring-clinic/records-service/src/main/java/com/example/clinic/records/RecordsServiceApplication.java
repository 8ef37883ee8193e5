package com.example.clinic.records;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class RecordsServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecordsServiceApplication.class, args);
    }

    /** The clock that stamps registrations; a bean so that it is one place to fix in tests. */
    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
