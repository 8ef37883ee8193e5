package com.example.orders.order.service;

import java.util.List;

public class UnknownSkuException extends RuntimeException {

    public UnknownSkuException(List<String> skuCodes) {
        super("Unknown sku code: " + String.join(", ", skuCodes));
    }
}
