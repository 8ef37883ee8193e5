package com.example.orders.notification.controller;

import com.example.orders.notification.dto.NotificationResponse;
import com.example.orders.notification.service.NotificationStore;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/notification")
public class NotificationController {

    private final NotificationStore store;

    public NotificationController(NotificationStore store) {
        this.store = store;
    }

    /** Most recent notifications, newest last. */
    @GetMapping
    public List<NotificationResponse> getNotifications() {
        return store.recent();
    }
}
