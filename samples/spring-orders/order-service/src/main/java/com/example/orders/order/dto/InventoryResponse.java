package com.example.orders.order.dto;

public record InventoryResponse(String skuCode, boolean inStock) {
}
