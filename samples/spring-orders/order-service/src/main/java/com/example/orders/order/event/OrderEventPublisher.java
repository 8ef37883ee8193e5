package com.example.orders.order.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes "order placed" events as JSON on a NATS subject, and returns once they are where they are going.
 *
 * <p>When a JetStream stream captures the subject, an event is published through JetStream and counts once the
 * stream acknowledged it: the server taking a message is not the stream storing it (a server that is shutting
 * down stops JetStream first). Without an acknowledgement it is sent again, with the order number as its
 * Nats-Msg-Id, so the stream keeps one copy when the first did arrive.
 *
 * <p>Otherwise it is a core publish, which only queues the bytes in the client, so each one waits for a flush
 * (a PING/PONG round trip) that started after it. One flush at a time, shared by every publish before it: jnats
 * counts a flush's PING against maxPingsOut (2), and a third PING outstanding makes it drop the connection as
 * stale, cancelling the flushes of every request thread and losing bytes that were on the way.
 */
@Component
public class OrderEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(OrderEventPublisher.class);
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);
    /** JetStream publishes per event; each waits for the stream's acknowledgement for 2 s (jnats' default). */
    private static final int PUBLISH_ATTEMPTS = 4;

    private final Connection connection;
    private final JetStream jetStream;
    private final ObjectMapper objectMapper;
    private final String subject;
    /** The lock flushes take turns on; guards what they covered. */
    private final Flushes flushes = new Flushes();
    /** Publishes handed to the client so far; guarded by this. */
    private long published;
    /** Whether a JetStream stream captures the subject; looked up on the first publish. */
    private volatile Boolean streamed;

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
        this.jetStream = connection.jetStream();
        log.info("Connected to NATS at {}; publishing order events on '{}'", natsUrl, subject);
    }

    public void publish(OrderPlacedEvent event) {
        try {
            byte[] payload = objectMapper.writeValueAsBytes(event);
            if (isStreamed()) {
                PublishAck ack = store(event.orderNumber(), payload);
                log.info("Stored order placed event for {} in stream '{}'", event.orderNumber(), ack.getStream());
            } else {
                long mine = send(payload);
                confirm(mine);
                log.info("Published order placed event for {} on '{}'", event.orderNumber(), subject);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise order event", e);
        } catch (Exception e) {
            // The order is already stored: a notification NATS has not confirmed must not fail the request.
            // The client keeps it queued (and across a reconnect) and sends it when the server answers again.
            log.error("NATS did not confirm the order placed event for {} in time", event.orderNumber(), e);
        }
    }

    private boolean isStreamed() {
        if (streamed == null) {
            try {
                streamed = !connection.jetStreamManagement().getStreamNames(subject).isEmpty();
            } catch (IOException | JetStreamApiException e) {
                // no JetStream to ask (now): nothing stores the events, the server taking them is all there is
                return false;
            }
        }
        return streamed;
    }

    /** Publishes through JetStream and returns the stream's acknowledgement, sending again while there is none. */
    private PublishAck store(String orderNumber, byte[] payload) throws IOException, JetStreamApiException {
        Headers headers = new Headers().add("Nats-Msg-Id", orderNumber);
        for (int attempt = 1; ; attempt++) {
            try {
                return jetStream.publish(subject, headers, payload);
            } catch (IOException e) {
                if (attempt == PUBLISH_ATTEMPTS) {
                    throw e;
                }
                log.warn("No acknowledgement from the stream for {} (attempt {}): {}",
                        orderNumber, attempt, e.getMessage());
            }
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
