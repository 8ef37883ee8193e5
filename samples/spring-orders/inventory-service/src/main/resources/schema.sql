CREATE TABLE IF NOT EXISTS t_inventory (
    id       BIGSERIAL PRIMARY KEY,
    sku_code VARCHAR(255) NOT NULL UNIQUE,
    quantity INTEGER      NOT NULL
);
