package com.example.orders.order.client;

import com.example.orders.order.dto.InventoryResponse;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Asks inventory-service which SKUs are in stock. */
@Component
public class InventoryClient {

    private final RestClient restClient;

    public InventoryClient(RestClient.Builder builder, @Value("${inventory.url}") String inventoryUrl) {
        this.restClient = builder.baseUrl(inventoryUrl).build();
    }

    public List<InventoryResponse> checkStock(List<String> skuCodes) {
        List<InventoryResponse> result = restClient.get()
                .uri(uri -> uri.path("/api/inventory").queryParam("skuCode", skuCodes.toArray()).build())
                .retrieve()
                .body(new ParameterizedTypeReference<List<InventoryResponse>>() { });
        return result == null ? List.of() : result;
    }
}
