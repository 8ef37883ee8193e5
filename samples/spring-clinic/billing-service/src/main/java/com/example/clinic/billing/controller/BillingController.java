package com.example.clinic.billing.controller;

import com.example.clinic.billing.dto.Invoice;
import com.example.clinic.billing.dto.InvoiceRequest;
import com.example.clinic.billing.dto.PriceItem;
import com.example.clinic.billing.service.BillingService;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class BillingController {

    @Autowired
    private BillingService billing;

    @GetMapping("/prices")
    public List<PriceItem> prices() {
        return billing.prices();
    }

    @PostMapping("/invoices")
    @ResponseStatus(HttpStatus.CREATED)
    public Invoice issue(@Valid @RequestBody InvoiceRequest request) {
        return billing.issue(request);
    }

    @GetMapping("/invoices/{id}")
    public Invoice invoice(@PathVariable("id") String id) {
        return billing.invoice(id);
    }

    @PostMapping("/invoices/{id}/payment")
    public Invoice pay(@PathVariable("id") String id) {
        return billing.pay(id);
    }
}
