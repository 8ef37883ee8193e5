package com.example.clinic.reminder;

import java.time.LocalDate;

public record Reminder(Long visitId, Long ownerId, String petName, LocalDate visitDate, LocalDate remindOn, String text) {
}
