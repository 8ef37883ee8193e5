package com.example.clinic.records.repository;

import com.example.clinic.records.model.Vet;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface VetRepository extends JpaRepository<Vet, Long> {

    @Query("SELECT DISTINCT v FROM Vet v JOIN v.specialties s WHERE s.name = :specialty ORDER BY v.id")
    List<Vet> findBySpecialty(@Param("specialty") String specialty);
}
