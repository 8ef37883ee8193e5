package com.example.clinic.records.controller;

import com.example.clinic.records.dto.ErrorResponse;
import com.example.clinic.records.dto.PetResponse;
import com.example.clinic.records.dto.VetView;
import com.example.clinic.records.service.RecordsService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class VetController {

    @Autowired
    private RecordsService records;

    @GetMapping("/vets")
    public List<VetView> vets(@RequestParam(name = "specialty", required = false) String specialty) {
        return specialty == null ? records.allVets() : records.vetsWithSpecialty(specialty);
    }

    /** Any API version prefix ({@code /api/v1/vets}, {@code /api/v2/vets}) answers with the same list. */
    @GetMapping("/api/*/vets")
    public List<VetView> versionedVets() {
        return records.allVets();
    }

    @GetMapping("/pets/species/{species}")
    public List<PetResponse> petsOfSpecies(@PathVariable("species") String species) {
        return records.petsOfSpecies(species);
    }

    /** The old paper-records API is gone: everything below /archive answers 410 with where to look instead. */
    @GetMapping("/archive/**")
    public ResponseEntity<ErrorResponse> archive(HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.GONE)
                .body(new ErrorResponse(request.getRequestURI() + " is archived; use /owners instead"));
    }
}
