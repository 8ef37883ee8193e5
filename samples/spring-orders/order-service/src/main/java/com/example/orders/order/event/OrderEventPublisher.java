package com.example.orders.order.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Publishes "order placed" events as JSON on a NATS subject. */
@Component
public class OrderEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(OrderEventPublisher.class);

    private final Connection connection;
    private final ObjectMapper objectMapper;
    private final String subject;

    public OrderEventPublisher(
            @Value("${nats.url}") String natsUrl,
            @Value("${nats.subject}") String subject,
            ObjectMapper objectMapper) throws IOException, InterruptedException {
        this.objectMapper = objectMapper;
        this.subject = subject;
        Options options = new Options.Builder()
                .server(natsUrl)
                .connectionName("order-service")
                .maxReconnects(-1)
                .build();
        this.connection = Nats.connect(options);
        log.info("Connected to NATS at {}; publishing order events on '{}'", natsUrl, subject);
    }

    public void publish(OrderPlacedEvent event) {
        try {
            byte[] payload = objectMapper.writeValueAsBytes(event);
            connection.publish(subject, payload);
            connection.flush(Duration.ofSeconds(2));
            log.info("Published order placed event for {} on '{}'", event.orderNumber(), subject);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise order event", e);
        } catch (Exception e) {
            // The order is already stored: a lost notification must not fail the request.
            log.error("Could not publish order placed event for {}", event.orderNumber(), e);
        }
    }

    @PreDestroy
    public void close() throws InterruptedException {
        connection.close();
    }
}
