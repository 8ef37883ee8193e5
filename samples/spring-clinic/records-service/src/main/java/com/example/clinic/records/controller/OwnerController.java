package com.example.clinic.records.controller;

import com.example.clinic.records.dto.OwnerRequest;
import com.example.clinic.records.dto.OwnerResponse;
import com.example.clinic.records.dto.PetRequest;
import com.example.clinic.records.dto.PetResponse;
import com.example.clinic.records.service.RecordsService;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/owners")
public class OwnerController {

    @Autowired
    private RecordsService records;

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public OwnerResponse register(@Valid @RequestBody OwnerRequest request) {
        return records.register(request);
    }

    /** Every owner, oldest first. */
    @GetMapping
    public List<OwnerResponse> owners() {
        return records.allOwners();
    }

    /** Owners whose name contains {@code name}: the same name as above, told apart by the query parameter. */
    @GetMapping(params = "name")
    public List<OwnerResponse> owners(@RequestParam("name") String name) {
        return records.ownersNamed(name);
    }

    @GetMapping("/{id}")
    public OwnerResponse owner(@PathVariable("id") Long id) {
        return records.owner(id);
    }

    @PostMapping("/{id}/pets")
    @ResponseStatus(HttpStatus.CREATED)
    public PetResponse addPet(@PathVariable("id") Long id, @Valid @RequestBody PetRequest request) {
        return records.addPet(id, request);
    }

    @GetMapping("/{ownerId}/pets/{petId}")
    public PetResponse pet(@PathVariable("ownerId") Long ownerId, @PathVariable("petId") Long petId) {
        return records.pet(ownerId, petId);
    }
}
