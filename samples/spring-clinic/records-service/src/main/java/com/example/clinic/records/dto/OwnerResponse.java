package com.example.clinic.records.dto;

import java.util.List;

public record OwnerResponse(Long id, String fullName, String phone, List<PetResponse> pets) {
}
