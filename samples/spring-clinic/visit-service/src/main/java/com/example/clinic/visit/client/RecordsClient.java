package com.example.clinic.visit.client;

import com.example.clinic.visit.dto.PetDto;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** Asks records-service whether a pet exists and belongs to the owner. */
@Component
public class RecordsClient {

    private final WebClient.Builder builder;
    private final String recordsUrl;

    public RecordsClient(WebClient.Builder builder, @Value("${records.url}") String recordsUrl) {
        this.builder = builder;
        this.recordsUrl = recordsUrl;
    }

    /** The pet, or null when records-service does not know it for this owner. */
    public PetDto findPet(Long ownerId, Long petId) {
        try {
            return builder.build().get()
                    .uri(recordsUrl + "/owners/{ownerId}/pets/{petId}", ownerId, petId)
                    .retrieve()
                    .bodyToMono(PetDto.class)
                    .block();
        } catch (WebClientResponseException.NotFound e) {
            return null;
        }
    }
}
