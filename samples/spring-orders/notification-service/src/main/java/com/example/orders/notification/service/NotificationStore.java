package com.example.orders.notification.service;

import com.example.orders.notification.dto.NotificationResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** The most recent notifications, oldest first, bounded to {@code notification.capacity}. */
@Service
public class NotificationStore {

    private final Deque<NotificationResponse> recent = new ArrayDeque<>();
    private final int capacity;

    public NotificationStore(@Value("${notification.capacity}") int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(NotificationResponse notification) {
        recent.addLast(notification);
        while (recent.size() > capacity) {
            recent.removeFirst();
        }
    }

    public synchronized List<NotificationResponse> recent() {
        return List.copyOf(recent);
    }
}
