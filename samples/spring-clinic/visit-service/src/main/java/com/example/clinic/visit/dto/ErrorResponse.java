package com.example.clinic.visit.dto;

public record ErrorResponse(String message) {
}
