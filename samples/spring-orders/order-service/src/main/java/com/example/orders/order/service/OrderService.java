package com.example.orders.order.service;

import com.example.orders.order.client.InventoryClient;
import com.example.orders.order.dto.InventoryResponse;
import com.example.orders.order.dto.OrderLineItemsDto;
import com.example.orders.order.dto.OrderRequest;
import com.example.orders.order.dto.OrderResponse;
import com.example.orders.order.event.OrderEventPublisher;
import com.example.orders.order.event.OrderPlacedEvent;
import com.example.orders.order.model.Order;
import com.example.orders.order.model.OrderLineItem;
import com.example.orders.order.repository.OrderRepository;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orderRepository;
    private final InventoryClient inventoryClient;
    private final OrderEventPublisher eventPublisher;

    public OrderService(OrderRepository orderRepository, InventoryClient inventoryClient,
            OrderEventPublisher eventPublisher) {
        this.orderRepository = orderRepository;
        this.inventoryClient = inventoryClient;
        this.eventPublisher = eventPublisher;
    }

    /** Checks stock, stores the order and announces it; returns the new order number. */
    public String placeOrder(OrderRequest request) {
        List<OrderLineItemsDto> items = request.orderLineItemsDtoList();
        List<String> skuCodes = items.stream().map(OrderLineItemsDto::skuCode).distinct().sorted().toList();

        Map<String, InventoryResponse> stock = inventoryClient.checkStock(skuCodes).stream()
                .collect(Collectors.toMap(InventoryResponse::skuCode, Function.identity(), (a, b) -> a));

        List<String> unknown = skuCodes.stream().filter(sku -> !stock.containsKey(sku)).toList();
        if (!unknown.isEmpty()) {
            log.warn("Rejected order with unknown skus {}", unknown);
            throw new UnknownSkuException(unknown);
        }
        List<String> outOfStock = skuCodes.stream().filter(sku -> !stock.get(sku).inStock()).toList();
        if (!outOfStock.isEmpty()) {
            log.warn("Rejected order, out of stock: {}", outOfStock);
            throw new OutOfStockException(outOfStock);
        }

        Order order = new Order();
        order.setOrderNumber(UUID.randomUUID().toString());
        for (OrderLineItemsDto dto : items) {
            OrderLineItem item = new OrderLineItem();
            item.setSkuCode(dto.skuCode());
            item.setPrice(dto.price());
            item.setQuantity(dto.quantity());
            order.addLineItem(item);
        }
        orderRepository.save(order);
        log.info("Order {} placed with {} line items", order.getOrderNumber(), items.size());

        eventPublisher.publish(new OrderPlacedEvent(order.getOrderNumber(), items));
        return order.getOrderNumber();
    }

    @Transactional(readOnly = true)
    public List<OrderResponse> getAllOrders() {
        return orderRepository.findAllByOrderByIdAsc().stream()
                .map(order -> new OrderResponse(order.getId(), order.getOrderNumber(),
                        order.getOrderLineItemsList().stream()
                                .map(i -> new OrderLineItemsDto(i.getSkuCode(), i.getPrice(), i.getQuantity()))
                                .toList()))
                .toList();
    }
}
