package com.example.clinic.records.config;

import com.example.clinic.records.model.Specialty;
import com.example.clinic.records.model.Vet;
import com.example.clinic.records.repository.SpecialtyRepository;
import com.example.clinic.records.repository.VetRepository;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Seeds the specialties and the clinic's vets into an empty database. */
@Configuration
public class SeedData {

    private static final Logger log = LoggerFactory.getLogger(SeedData.class);

    @Bean
    public CommandLineRunner seedVets(
            SpecialtyRepository specialties, VetRepository vets, TransactionTemplate transactions) {
        return args -> transactions.executeWithoutResult(status -> {
            if (vets.count() > 0) {
                return;
            }
            Specialty surgery = specialties.save(new Specialty("surgery"));
            Specialty dentistry = specialties.save(new Specialty("dentistry"));
            Specialty radiology = specialties.save(new Specialty("radiology"));
            vets.save(vet("Ada Brandt", true, List.of(surgery, dentistry)));
            vets.save(vet("Tomas Reyes", false, List.of(radiology)));
            vets.save(vet("Mei Okafor", true, List.of()));
            log.info("Seeded 3 vets and 3 specialties");
        });
    }

    private static Vet vet(String name, boolean onCall, List<Specialty> specialties) {
        Vet vet = new Vet();
        vet.setFullName(name);
        vet.setOnCall(onCall);
        vet.getSpecialties().addAll(specialties);
        return vet;
    }
}
