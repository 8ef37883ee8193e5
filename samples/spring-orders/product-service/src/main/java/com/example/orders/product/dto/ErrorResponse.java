package com.example.orders.product.dto;

public record ErrorResponse(int status, String error, String message) {
}
