package com.example.clinic.visit.dto;

/** The part of records-service's pet that a booking needs. */
public record PetDto(Long id, String name, String species, Long ownerId) {
}
