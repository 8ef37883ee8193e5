INSERT INTO t_inventory (sku_code, quantity) VALUES ('iphone_13', 100) ON CONFLICT (sku_code) DO NOTHING;
INSERT INTO t_inventory (sku_code, quantity) VALUES ('pixel_8', 0) ON CONFLICT (sku_code) DO NOTHING;
INSERT INTO t_inventory (sku_code, quantity) VALUES ('galaxy_s24', 5) ON CONFLICT (sku_code) DO NOTHING;
