package com.example.clinic.visit.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;

public record VisitRequest(@NotNull Long ownerId, @NotNull Long petId, @NotNull LocalDate date, @NotBlank String reason) {
}
