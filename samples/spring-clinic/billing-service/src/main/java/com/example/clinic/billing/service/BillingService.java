package com.example.clinic.billing.service;

import com.example.clinic.billing.dto.Invoice;
import com.example.clinic.billing.dto.InvoiceRequest;
import com.example.clinic.billing.dto.PriceItem;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Prices live in the Redis hash {@code prices}; each invoice in the hash {@code invoice:<id>}. */
@Service
public class BillingService {

    @Autowired
    private StringRedisTemplate redis;

    @Value("${billing.currency}")
    private String currency;

    public List<PriceItem> prices() {
        return redis.<String, String>opsForHash().entries("prices").entrySet().stream()
                .map(e -> new PriceItem(e.getKey(), Long.parseLong(e.getValue())))
                .sorted(Comparator.comparing(PriceItem::code))
                .toList();
    }

    public Invoice issue(InvoiceRequest request) {
        long total = 0;
        for (String code : request.items()) {
            Object cents = redis.opsForHash().get("prices", code);
            if (cents == null) {
                throw new BillingException(HttpStatus.BAD_REQUEST, "unknown price code " + code);
            }
            total += Long.parseLong(cents.toString());
        }
        String id = UUID.randomUUID().toString();
        redis.opsForHash().putAll("invoice:" + id, Map.of(
                "visitId", request.visitId().toString(),
                "items", String.join(",", request.items()),
                "totalCents", Long.toString(total),
                "currency", currency,
                "paid", "false"));
        return invoice(id);
    }

    public Invoice invoice(String id) {
        Map<String, String> fields = redis.<String, String>opsForHash().entries("invoice:" + id);
        if (fields.isEmpty()) {
            throw new BillingException(HttpStatus.NOT_FOUND, "invoice " + id + " not found");
        }
        return new Invoice(id, Long.valueOf(fields.get("visitId")), List.of(fields.get("items").split(",")),
                Long.parseLong(fields.get("totalCents")), fields.get("currency"), Boolean.parseBoolean(fields.get("paid")));
    }

    public Invoice pay(String id) {
        Invoice invoice = invoice(id);
        if (invoice.paid()) {
            throw new BillingException(HttpStatus.CONFLICT, "invoice " + id + " is already paid");
        }
        redis.opsForHash().put("invoice:" + id, "paid", "true");
        return invoice(id);
    }
}
