package com.example.orders.order.event;

import com.example.orders.order.dto.OrderLineItemsDto;
import java.util.List;

public record OrderPlacedEvent(String orderNumber, List<OrderLineItemsDto> items) {
}
