package io.pulse.query.api;

import io.pulse.shared.http.ApiException;
import io.pulse.shared.http.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps only Pulse's own refusals; framework errors keep Quarkus's safe defaults (no stack traces in prod). */
public class ApiExceptionMapper {

    @ServerExceptionMapper
    public Response map(ApiException e) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Problem.of(e.status(), e.code(), e.field(), e.getMessage()));
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        if (e.status() == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"pulse\"");
        }
        return response.build();
    }
}
