package com.example.clinic.billing.dto;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

public record InvoiceRequest(@NotNull Long visitId, @NotEmpty List<String> items) {
}
