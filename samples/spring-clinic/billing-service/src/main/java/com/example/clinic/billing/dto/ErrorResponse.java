package com.example.clinic.billing.dto;

public record ErrorResponse(String message) {
}
