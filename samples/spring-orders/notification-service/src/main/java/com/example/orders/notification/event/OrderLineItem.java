package com.example.orders.notification.event;

import java.math.BigDecimal;

public record OrderLineItem(String skuCode, BigDecimal price, Integer quantity) {
}
