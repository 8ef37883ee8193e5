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

/**
 * Publishes "order placed" events as JSON on a NATS subject, and returns once the server has them: a publish
 * only queues the bytes in the client, so each one waits for a flush (a PING/PONG round trip) that started
 * after it. One flush at a time, shared by every publish before it: jnats counts a flush's PING against
 * maxPingsOut (2), and a third PING outstanding makes it drop the connection as stale, cancelling the flushes
 * of every request thread and losing bytes that were on the way.
 */
@Component
public class OrderEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(OrderEventPublisher.class);
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final ObjectMapper objectMapper;
    private final String subject;
    /** The lock flushes take turns on; guards what they covered. */
    private final Flushes flushes = new Flushes();
    /** Publishes handed to the client so far; guarded by this. */
    private long published;

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
            long mine = send(payload);
            confirm(mine);
            log.info("Published order placed event for {} on '{}'", event.orderNumber(), subject);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise order event", e);
        } catch (Exception e) {
            // The order is already stored: a notification NATS has not confirmed must not fail the request.
            // The client keeps it queued (and across a reconnect) and sends it when the server answers again.
            log.error("NATS did not confirm the order placed event for {} in time", event.orderNumber(), e);
        }
    }

    private synchronized long send(byte[] payload) {
        connection.publish(subject, payload);
        published += 1;
        return published;
    }

    /** Returns once a flush that started after publish number `mine` has completed. */
    private void confirm(long mine) throws Exception {
        synchronized (flushes) {
            if (flushes.confirmed >= mine) {
                return;
            }
            long upTo;
            synchronized (this) {
                upTo = published;
            }
            connection.flush(FLUSH_TIMEOUT);
            flushes.confirmed = upTo;
        }
    }

    private static final class Flushes {
        /** Publishes a completed flush covers. */
        long confirmed = 0;
    }

    @PreDestroy
    public void close() throws InterruptedException {
        connection.close();
    }
}
