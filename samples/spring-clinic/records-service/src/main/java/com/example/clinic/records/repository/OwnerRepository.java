package com.example.clinic.records.repository;

import com.example.clinic.records.model.Owner;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface OwnerRepository extends JpaRepository<Owner, Long> {

    @Query("SELECT o FROM Owner o WHERE LOWER(o.fullName) LIKE LOWER(CONCAT('%', :name, '%')) ORDER BY o.id")
    List<Owner> searchByName(@Param("name") String name);
}
