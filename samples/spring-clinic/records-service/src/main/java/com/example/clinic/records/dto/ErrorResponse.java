package com.example.clinic.records.dto;

public record ErrorResponse(String message) {
}
