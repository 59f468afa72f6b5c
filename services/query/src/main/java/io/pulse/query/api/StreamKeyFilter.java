package io.pulse.query.api;

import io.pulse.query.service.ReadKeys;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Checks the read key of the SSE stream before the resource runs: once an event stream has started, its status
 * is 200 for good, so a 401/404 found later could not be told to the client.
 */
public class StreamKeyFilter {

    private final ReadKeys readKeys;

    public StreamKeyFilter(ReadKeys readKeys) {
        this.readKeys = readKeys;
    }

    @ServerRequestFilter
    public Uni<Response> authorizeStream(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass() != LiveResource.class || !"stream".equals(resource.getMethodName())) {
            return Uni.createFrom().nullItem();
        }
        String projectId = request.getUriInfo().getPathParameters().getFirst("projectId");
        String credentials = LiveResource.credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getUriInfo().getQueryParameters().getFirst("key"));
        return readKeys.authorize(credentials, projectId).replaceWith((Response) null);
    }
}
