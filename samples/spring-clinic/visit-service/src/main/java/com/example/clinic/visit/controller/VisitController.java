package com.example.clinic.visit.controller;

import com.example.clinic.visit.dto.VisitRequest;
import com.example.clinic.visit.dto.VisitResponse;
import com.example.clinic.visit.service.VisitService;
import jakarta.validation.Valid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/visits")
public class VisitController {

    @Autowired
    private VisitService visits;

    @PostMapping
    public CompletableFuture<ResponseEntity<VisitResponse>> book(@Valid @RequestBody VisitRequest request) {
        return visits.book(request).thenApply(v -> ResponseEntity.status(HttpStatus.CREATED).body(v));
    }

    @GetMapping
    public List<VisitResponse> visitsOf(@RequestParam("ownerId") Long ownerId) {
        return visits.visitsOf(ownerId);
    }

    @GetMapping("/{id}")
    public ResponseEntity<VisitResponse> visit(@PathVariable("id") Long id) {
        return ResponseEntity.of(visits.visit(id));
    }
}
