package io.pulse.shared.validation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Machine-readable reasons an event is refused; the wire form is snake_case, e.g. {@code missing_distinct_id}. */
public enum RejectReason {
    MALFORMED_JSON,
    NOT_AN_OBJECT,
    INVALID_TYPE,
    WRONG_FIELD_TYPE,
    MISSING_DISTINCT_ID,
    PLACEHOLDER_DISTINCT_ID,
    MISSING_EVENT,
    MISSING_FIELD,
    NAME_TOO_LONG,
    MESSAGE_ID_TOO_LONG,
    EVENT_TOO_LARGE,
    TOO_DEEP,
    INVALID_TIMESTAMP,
    FUTURE_TIMESTAMP,
    SCHEMA_VIOLATION,
    ENRICHMENT_FAILURE;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RejectReason fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
