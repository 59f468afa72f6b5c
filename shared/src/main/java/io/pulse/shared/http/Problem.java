package io.pulse.shared.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every error: {"success":false,"status":401,"code":"unknown_write_key",...}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(boolean success, int status, String code, String field, String message) {

    public static Problem of(int status, String code, String field, String message) {
        return new Problem(false, status, code, field, message);
    }
}
