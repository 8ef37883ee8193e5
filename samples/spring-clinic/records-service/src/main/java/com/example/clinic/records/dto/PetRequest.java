package com.example.clinic.records.dto;

import jakarta.validation.constraints.NotBlank;
import java.time.LocalDate;

public record PetRequest(@NotBlank String name, @NotBlank String species, LocalDate birthDate) {
}
