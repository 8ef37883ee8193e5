package com.example.clinic.visit.dto;

import java.time.LocalDate;

public record VisitResponse(Long id, Long ownerId, Long petId, String petName, LocalDate date, String reason) {
}
