package com.example.clinic.records.repository;

import com.example.clinic.records.model.Pet;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface PetRepository extends JpaRepository<Pet, Long> {

    @Query("SELECT p FROM Pet p WHERE p.owner.id = :ownerId ORDER BY p.id")
    List<Pet> findByOwner(@Param("ownerId") Long ownerId);

    @Query("SELECT p FROM Pet p WHERE p.species = :species ORDER BY p.id")
    List<Pet> findBySpecies(@Param("species") String species);
}
