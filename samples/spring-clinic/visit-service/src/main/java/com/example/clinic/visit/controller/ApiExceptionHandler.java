package com.example.clinic.visit.controller;

import com.example.clinic.visit.dto.ErrorResponse;
import com.example.clinic.visit.service.UnknownPetException;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.reactive.function.client.WebClientException;

@RestControllerAdvice
public class ApiExceptionHandler {

    @ExceptionHandler(UnknownPetException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    public ErrorResponse unknownPet(UnknownPetException e) {
        return new ErrorResponse(e.getMessage());
    }

    @ExceptionHandler(WebClientException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    public ErrorResponse recordsDown(WebClientException e) {
        return new ErrorResponse("records-service is unavailable");
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ErrorResponse invalid(MethodArgumentNotValidException e) {
        String fields = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining(", "));
        return new ErrorResponse("invalid request: " + fields);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class})
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ErrorResponse unreadable(Exception e) {
        return new ErrorResponse("malformed request");
    }
}
