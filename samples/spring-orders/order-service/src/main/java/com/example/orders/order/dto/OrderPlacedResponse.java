package com.example.orders.order.dto;

public record OrderPlacedResponse(String orderNumber) {
}
