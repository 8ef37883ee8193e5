package com.example.clinic.reminder;

import java.time.LocalDate;

public record VisitBookedEvent(Long visitId, Long ownerId, String petName, LocalDate date, String reason) {
}
