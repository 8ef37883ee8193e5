CREATE TABLE IF NOT EXISTS visits (
    id BIGSERIAL PRIMARY KEY,
    owner_id BIGINT NOT NULL,
    pet_id BIGINT NOT NULL,
    pet_name VARCHAR(255) NOT NULL,
    visit_date DATE NOT NULL,
    reason VARCHAR(255) NOT NULL
);
