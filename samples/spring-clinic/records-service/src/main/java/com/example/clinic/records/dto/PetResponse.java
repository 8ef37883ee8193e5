package com.example.clinic.records.dto;

import java.time.LocalDate;

public record PetResponse(Long id, String name, String species, LocalDate birthDate, Long ownerId) {
}
