package com.example.clinic.visit.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Publishes visit-booked events on NATS. The connection is made once per JVM in a static initializer, the way
 * older services of the clinic did before Spring managed it.
 */
@Component
public class VisitEvents {

    private static final Logger log = LoggerFactory.getLogger(VisitEvents.class);

    /** Not final: the static block below replaces it with NATS_SUBJECT when that is set. */
    private static String subject = "clinic.visits.booked";

    private static final Connection NATS;

    static {
        String url = System.getenv("NATS_URL");
        if (url == null || url.isBlank()) {
            url = "nats://127.0.0.1:4222";
        }
        String configured = System.getenv("NATS_SUBJECT");
        if (configured != null && !configured.isBlank()) {
            subject = configured;
        }
        try {
            NATS = Nats.connect(new Options.Builder().server(url).connectionName("visit-service").maxReconnects(-1).build());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Autowired
    private ObjectMapper objectMapper;

    public void publish(VisitBookedEvent event) {
        try {
            NATS.publish(subject, objectMapper.writeValueAsBytes(event));
            NATS.flush(Duration.ofSeconds(2));
            log.info("Published visit {} on '{}'", event.visitId(), subject);
        } catch (Exception e) {
            // The visit is stored: a lost reminder must not fail the booking.
            log.error("Could not publish visit {}", event.visitId(), e);
        }
    }
}
