package com.example.orders.product.service;

import com.example.orders.product.dto.ProductRequest;
import com.example.orders.product.dto.ProductResponse;
import com.example.orders.product.model.Product;
import com.example.orders.product.repository.ProductRepository;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

@Service
public class ProductService {

    private static final Logger log = LoggerFactory.getLogger(ProductService.class);

    private final ProductRepository productRepository;

    public ProductService(ProductRepository productRepository) {
        this.productRepository = productRepository;
    }

    public ProductResponse createProduct(ProductRequest request) {
        Product product = new Product();
        product.setName(request.name());
        product.setDescription(request.description());
        product.setPrice(request.price());
        Product saved = productRepository.save(product);
        log.info("Product {} saved with id {}", saved.getName(), saved.getId());
        return toResponse(saved);
    }

    public List<ProductResponse> getAllProducts() {
        return StreamSupport.stream(productRepository.findAll().spliterator(), false)
                .map(ProductService::toResponse)
                .sorted(Comparator.comparing(ProductResponse::name).thenComparing(ProductResponse::id))
                .toList();
    }

    private static ProductResponse toResponse(Product product) {
        return new ProductResponse(product.getId(), product.getName(), product.getDescription(), product.getPrice());
    }
}
