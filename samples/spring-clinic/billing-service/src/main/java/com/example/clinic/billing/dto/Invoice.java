package com.example.clinic.billing.dto;

import java.util.List;

/** Jackson names the boolean component {@code paid}, as a record's accessor is {@code paid()}. */
public record Invoice(String id, Long visitId, List<String> items, long totalCents, String currency, boolean paid) {
}
