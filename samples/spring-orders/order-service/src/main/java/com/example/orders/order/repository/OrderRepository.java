package com.example.orders.order.repository;

import com.example.orders.order.model.Order;
import java.util.List;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

public interface OrderRepository extends JpaRepository<Order, Long> {

    @EntityGraph(attributePaths = "orderLineItemsList")
    List<Order> findAllByOrderByIdAsc();
}
