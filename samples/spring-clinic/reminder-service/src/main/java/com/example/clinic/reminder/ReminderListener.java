package com.example.clinic.reminder;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Subscribes once the application is ready and keeps one reminder per booked visit, in memory. */
@Component
public class ReminderListener {

    private static final Logger log = LoggerFactory.getLogger(ReminderListener.class);

    private static final String NATS_URL = System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222");

    @Autowired
    private ObjectMapper objectMapper;

    @Value("${nats.subject}")
    private String subject;

    @Value("${reminders.days-before}")
    private int daysBefore;

    private final Map<Long, Reminder> reminders = new ConcurrentSkipListMap<>();
    private Connection connection;

    @EventListener(ApplicationReadyEvent.class)
    public void subscribe() throws Exception {
        connection = Nats.connect(new Options.Builder().server(NATS_URL).connectionName("reminder-service")
                .maxReconnects(-1).build());
        Dispatcher dispatcher = connection.createDispatcher(message -> {
            try {
                VisitBookedEvent event = objectMapper.readValue(message.getData(), VisitBookedEvent.class);
                reminders.put(event.visitId(), new Reminder(event.visitId(), event.ownerId(), event.petName(),
                        event.date(), event.date().minusDays(daysBefore),
                        event.petName() + " is due for " + event.reason() + " on " + event.date()));
            } catch (Exception e) {
                log.warn("Ignoring a malformed visit event on '{}'", subject, e);
            }
        });
        dispatcher.subscribe(subject);
        connection.flush(java.time.Duration.ofSeconds(2));
        log.info("Listening for booked visits on '{}'", subject);
    }

    public Map<Long, Reminder> reminders() {
        return reminders;
    }

    @PreDestroy
    public void close() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
    }
}
