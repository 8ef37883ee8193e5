package com.example.orders.notification.dto;

import com.example.orders.notification.event.OrderLineItem;
import java.time.Instant;
import java.util.List;

public record NotificationResponse(String orderNumber, List<OrderLineItem> items, Instant receivedAt) {
}
