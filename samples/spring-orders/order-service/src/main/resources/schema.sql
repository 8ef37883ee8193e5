CREATE TABLE IF NOT EXISTS t_orders (
    id           BIGSERIAL PRIMARY KEY,
    order_number VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS t_order_line_items (
    id        BIGSERIAL PRIMARY KEY,
    sku_code  VARCHAR(255)   NOT NULL,
    price     NUMERIC(19, 2) NOT NULL,
    quantity  INTEGER        NOT NULL,
    order_id  BIGINT         NOT NULL REFERENCES t_orders (id)
);

CREATE INDEX IF NOT EXISTS idx_order_line_items_order_id ON t_order_line_items (order_id);
