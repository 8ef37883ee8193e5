package com.example.orders.order.controller;

import com.example.orders.order.dto.OrderPlacedResponse;
import com.example.orders.order.dto.OrderRequest;
import com.example.orders.order.dto.OrderResponse;
import com.example.orders.order.service.OrderService;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/order")
public class OrderController {

    private final OrderService orderService;

    public OrderController(OrderService orderService) {
        this.orderService = orderService;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public OrderPlacedResponse placeOrder(@Valid @RequestBody OrderRequest orderRequest) {
        return new OrderPlacedResponse(orderService.placeOrder(orderRequest));
    }

    @GetMapping
    public List<OrderResponse> getOrders() {
        return orderService.getAllOrders();
    }
}
