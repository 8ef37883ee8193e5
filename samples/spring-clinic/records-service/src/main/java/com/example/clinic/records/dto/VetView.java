package com.example.clinic.records.dto;

import java.util.List;
import lombok.Value;

/** Lombok writes {@code isOnCall()}; Jackson names the property {@code onCall}, as clients read it. */
@Value
public class VetView {
    Long id;
    String fullName;
    boolean onCall;
    List<String> specialties;
}
