package com.example.clinic.visit.repository;

import com.example.clinic.visit.model.Visit;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface VisitRepository extends JpaRepository<Visit, Long> {

    @Query("SELECT v FROM Visit v WHERE v.ownerId = :ownerId ORDER BY v.date, v.id")
    List<Visit> findForOwner(@Param("ownerId") Long ownerId);
}
