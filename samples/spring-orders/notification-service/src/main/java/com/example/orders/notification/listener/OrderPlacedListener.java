package com.example.orders.notification.listener;

import com.example.orders.notification.dto.NotificationResponse;
import com.example.orders.notification.event.OrderPlacedEvent;
import com.example.orders.notification.service.NotificationStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Subscribes to "order placed" events on NATS and records each one. */
@Component
public class OrderPlacedListener {

    private static final Logger log = LoggerFactory.getLogger(OrderPlacedListener.class);

    private final Connection connection;
    private final ObjectMapper objectMapper;
    private final NotificationStore store;

    public OrderPlacedListener(
            @Value("${nats.url}") String natsUrl,
            @Value("${nats.subject}") String subject,
            ObjectMapper objectMapper,
            NotificationStore store) throws IOException, InterruptedException {
        this.objectMapper = objectMapper;
        this.store = store;
        Options options = new Options.Builder()
                .server(natsUrl)
                .connectionName("notification-service")
                .maxReconnects(-1)
                .build();
        this.connection = Nats.connect(options);
        Dispatcher dispatcher = connection.createDispatcher(this::onMessage);
        dispatcher.subscribe(subject);
        try {
            // Make sure the subscription is registered before we report healthy.
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            throw new IllegalStateException("NATS did not confirm the subscription to " + subject, e);
        }
        log.info("Connected to NATS at {}; listening for order events on '{}'", natsUrl, subject);
    }

    void onMessage(Message message) {
        try {
            OrderPlacedEvent event = objectMapper.readValue(message.getData(), OrderPlacedEvent.class);
            store.add(new NotificationResponse(event.orderNumber(), event.items(), Instant.now()));
            log.info("Received notification for order {}", event.orderNumber());
        } catch (IOException e) {
            log.warn("Ignoring unreadable message on '{}': {}", message.getSubject(), e.getMessage());
        }
    }

    @PreDestroy
    public void close() throws InterruptedException {
        connection.close();
    }
}
