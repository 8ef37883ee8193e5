CREATE TABLE IF NOT EXISTS owners (
    id BIGSERIAL PRIMARY KEY,
    full_name VARCHAR(255) NOT NULL,
    phone VARCHAR(64) NOT NULL
);

CREATE TABLE IF NOT EXISTS pets (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    species VARCHAR(64) NOT NULL,
    birth_date DATE,
    owner_id BIGINT NOT NULL REFERENCES owners (id)
);

CREATE TABLE IF NOT EXISTS specialties (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(64) NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS vets (
    id BIGSERIAL PRIMARY KEY,
    full_name VARCHAR(255) NOT NULL,
    on_call BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS vet_specialties (
    vet_id BIGINT NOT NULL REFERENCES vets (id),
    specialty_id BIGINT NOT NULL REFERENCES specialties (id),
    PRIMARY KEY (vet_id, specialty_id)
);
