package io.pulse.shared.validation;

/**
 * Why one event was refused and which field is at fault (a JSON path such as {@code properties.cart}).
 */
public record Violation(String field, RejectReason reason, String message) {
}
