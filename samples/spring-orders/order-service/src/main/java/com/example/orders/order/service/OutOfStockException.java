package com.example.orders.order.service;

import java.util.List;

public class OutOfStockException extends RuntimeException {

    public OutOfStockException(List<String> skuCodes) {
        super("Product is not in stock, please try again later: " + String.join(", ", skuCodes));
    }
}
