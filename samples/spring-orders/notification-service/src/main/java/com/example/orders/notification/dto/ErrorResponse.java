package com.example.orders.notification.dto;

public record ErrorResponse(int status, String error, String message) {
}
