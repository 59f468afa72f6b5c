package io.pulse.shared.http;

/**
 * A refusal the client can act on: HTTP status, a machine-readable code, the field at fault (if any) and a
 * sentence. Thrown anywhere in a request; {@link ApiExceptionMapper} turns it into a {@link Problem}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String code, String field, String message) {
        this(status, code, field, message, null);
    }

    public ApiException(int status, String code, String field, String message, Integer retryAfterSeconds) {
        super(message, null, false, false); // no stack trace: these are expected, and frequent under attack
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
