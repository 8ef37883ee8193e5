package com.example.clinic.visit.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class AsyncConfig {

    /** Runs the pet look-up of a booking off the request thread. */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService lookupExecutor() {
        return Executors.newFixedThreadPool(4);
    }
}
