package com.example.clinic.records.dto;

import jakarta.validation.constraints.NotBlank;

public record OwnerRequest(@NotBlank String fullName, @NotBlank String phone) {
}
