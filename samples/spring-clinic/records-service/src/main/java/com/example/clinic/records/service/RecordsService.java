package com.example.clinic.records.service;

import com.example.clinic.records.dto.OwnerRequest;
import com.example.clinic.records.dto.OwnerResponse;
import com.example.clinic.records.dto.PetRequest;
import com.example.clinic.records.dto.PetResponse;
import com.example.clinic.records.dto.VetView;
import com.example.clinic.records.model.Owner;
import com.example.clinic.records.model.Pet;
import com.example.clinic.records.model.Specialty;
import com.example.clinic.records.model.Vet;
import com.example.clinic.records.repository.OwnerRepository;
import com.example.clinic.records.repository.PetRepository;
import com.example.clinic.records.repository.VetRepository;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class RecordsService {

    @Autowired
    private OwnerRepository owners;

    @Autowired
    private PetRepository pets;

    @Autowired
    private VetRepository vets;

    @Transactional
    public OwnerResponse register(OwnerRequest request) {
        Owner owner = new Owner();
        owner.setFullName(request.fullName().trim());
        owner.setPhone(request.phone().trim());
        return toResponse(owners.save(owner));
    }

    @Transactional
    public PetResponse addPet(Long ownerId, PetRequest request) {
        Owner owner = owners.findById(ownerId).orElseThrow(() -> new NotFoundException("owner " + ownerId));
        Pet pet = new Pet();
        pet.setName(request.name().trim());
        pet.setSpecies(request.species().trim().toLowerCase());
        pet.setBirthDate(request.birthDate());
        pet.setOwner(owner);
        return toResponse(pets.save(pet));
    }

    @Transactional(readOnly = true)
    public List<OwnerResponse> allOwners() {
        return owners.findAll().stream()
                .sorted(Comparator.comparing(Owner::getId))
                .map(RecordsService::toResponse)
                .toList();
    }

    @Transactional(readOnly = true)
    public List<OwnerResponse> ownersNamed(String name) {
        return owners.searchByName(name).stream().map(RecordsService::toResponse).toList();
    }

    @Transactional(readOnly = true)
    public OwnerResponse owner(Long id) {
        return owners.findById(id).map(RecordsService::toResponse)
                .orElseThrow(() -> new NotFoundException("owner " + id));
    }

    @Transactional(readOnly = true)
    public PetResponse pet(Long ownerId, Long petId) {
        return pets.findById(petId)
                .filter(p -> p.getOwner().getId().equals(ownerId))
                .map(RecordsService::toResponse)
                .orElseThrow(() -> new NotFoundException("pet " + petId + " of owner " + ownerId));
    }

    @Transactional(readOnly = true)
    public List<PetResponse> petsOfSpecies(String species) {
        return pets.findBySpecies(species.toLowerCase()).stream().map(RecordsService::toResponse).toList();
    }

    @Transactional(readOnly = true)
    public List<VetView> allVets() {
        return vets.findAll().stream()
                .sorted(Comparator.comparing(Vet::getId))
                .map(RecordsService::toView)
                .toList();
    }

    @Transactional(readOnly = true)
    public List<VetView> vetsWithSpecialty(String specialty) {
        return vets.findBySpecialty(specialty).stream().map(RecordsService::toView).toList();
    }

    private static OwnerResponse toResponse(Owner owner) {
        List<PetResponse> ownPets = owner.getPets().stream().map(RecordsService::toResponse).toList();
        return new OwnerResponse(owner.getId(), owner.getFullName(), owner.getPhone(), ownPets);
    }

    private static PetResponse toResponse(Pet pet) {
        return new PetResponse(pet.getId(), pet.getName(), pet.getSpecies(), pet.getBirthDate(), pet.getOwner().getId());
    }

    private static VetView toView(Vet vet) {
        List<String> names = vet.getSpecialties().stream().map(Specialty::getName).sorted().toList();
        return new VetView(vet.getId(), vet.getFullName(), vet.isOnCall(), names);
    }
}
