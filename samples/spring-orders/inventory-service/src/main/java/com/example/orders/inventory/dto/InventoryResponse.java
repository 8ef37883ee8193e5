package com.example.orders.inventory.dto;

public record InventoryResponse(String skuCode, boolean inStock) {
}
