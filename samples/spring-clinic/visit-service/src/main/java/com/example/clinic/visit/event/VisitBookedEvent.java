package com.example.clinic.visit.event;

import java.time.LocalDate;

public record VisitBookedEvent(Long visitId, Long ownerId, String petName, LocalDate date, String reason) {
}
