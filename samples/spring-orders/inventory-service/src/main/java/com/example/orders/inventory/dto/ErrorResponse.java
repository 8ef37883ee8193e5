package com.example.orders.inventory.dto;

public record ErrorResponse(int status, String error, String message) {
}
