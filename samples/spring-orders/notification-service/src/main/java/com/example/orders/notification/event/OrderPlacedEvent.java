package com.example.orders.notification.event;

import java.util.List;

public record OrderPlacedEvent(String orderNumber, List<OrderLineItem> items) {
}
