package com.example.orders.order.dto;

public record ErrorResponse(int status, String error, String message) {
}
