package com.example.clinic.billing.dto;

public record PriceItem(String code, long cents) {
}
