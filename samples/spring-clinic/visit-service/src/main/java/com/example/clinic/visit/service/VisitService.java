package com.example.clinic.visit.service;

import com.example.clinic.visit.client.RecordsClient;
import com.example.clinic.visit.dto.PetDto;
import com.example.clinic.visit.dto.VisitRequest;
import com.example.clinic.visit.dto.VisitResponse;
import com.example.clinic.visit.event.VisitBookedEvent;
import com.example.clinic.visit.event.VisitEvents;
import com.example.clinic.visit.model.Visit;
import com.example.clinic.visit.repository.VisitRepository;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

@Service
public class VisitService {

    @Autowired
    private VisitRepository visits;

    @Autowired
    private RecordsClient records;

    @Autowired
    private VisitEvents events;

    @Autowired
    private ExecutorService lookupExecutor;

    /** Checks the pet off the request thread, then stores the visit and announces it. */
    public CompletableFuture<VisitResponse> book(VisitRequest request) {
        return CompletableFuture
                .supplyAsync(() -> records.findPet(request.ownerId(), request.petId()), lookupExecutor)
                .thenApply(pet -> store(request, pet));
    }

    private VisitResponse store(VisitRequest request, PetDto pet) {
        if (pet == null) {
            throw new UnknownPetException(request.ownerId(), request.petId());
        }
        Visit visit = new Visit();
        visit.setOwnerId(request.ownerId());
        visit.setPetId(request.petId());
        visit.setPetName(pet.name());
        visit.setDate(request.date());
        visit.setReason(request.reason().trim());
        Visit saved = visits.save(visit);
        events.publish(new VisitBookedEvent(saved.getId(), saved.getOwnerId(), saved.getPetName(), saved.getDate(),
                saved.getReason()));
        return toResponse(saved);
    }

    public Optional<VisitResponse> visit(Long id) {
        return visits.findById(id).map(VisitService::toResponse);
    }

    public List<VisitResponse> visitsOf(Long ownerId) {
        return visits.findForOwner(ownerId).stream().map(VisitService::toResponse).toList();
    }

    private static VisitResponse toResponse(Visit v) {
        return new VisitResponse(v.getId(), v.getOwnerId(), v.getPetId(), v.getPetName(), v.getDate(), v.getReason());
    }
}
