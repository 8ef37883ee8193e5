package com.example.clinic.visit.service;

public class UnknownPetException extends RuntimeException {

    public UnknownPetException(Long ownerId, Long petId) {
        super("pet " + petId + " of owner " + ownerId + " not found");
    }
}
