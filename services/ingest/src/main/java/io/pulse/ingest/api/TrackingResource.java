package io.pulse.ingest.api;

import io.pulse.ingest.service.ClientAddress;
import io.pulse.ingest.service.TrackingService;
import io.pulse.shared.event.EventType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Segment's HTTP Tracking API. Any media type is read as JSON: browsers' sendBeacon posts text/plain to avoid a
 * CORS preflight.
 */
@Path("/v1")
@Tag(name = "tracking", description = "Segment-compatible event collection")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class TrackingResource {

    private final TrackingService tracking;
    private final ClientAddress clientAddress;

    public TrackingResource(TrackingService tracking, ClientAddress clientAddress) {
        this.tracking = tracking;
        this.clientAddress = clientAddress;
    }

    @POST
    @Path("/{type: track|identify|page|screen|group|alias}")
    @Operation(summary = "Record one event of the type the path names")
    @APIResponse(responseCode = "200", description = "Kafka acknowledged the event")
    @APIResponse(responseCode = "400", description = "Malformed JSON or an invalid event (code and field say why)")
    @APIResponse(responseCode = "401", description = "Missing or unknown write key")
    @APIResponse(responseCode = "413", description = "Event or request too large")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After")
    public Uni<TrackResponse> single(
            @PathParam("type") String type,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Content-Encoding") String contentEncoding,
            HttpServerRequest http,
            byte[] body) {
        return handle(EventType.fromWire(type), authorization, contentEncoding, http, body);
    }

    @POST
    @Path("/{kind: batch|import}")
    @Operation(summary = "Record a batch of events: valid ones are accepted, each invalid one is reported")
    @APIResponse(responseCode = "200", description = "Kafka acknowledged every accepted event; see rejected")
    @APIResponse(responseCode = "400", description = "Malformed JSON or no batch array")
    @APIResponse(responseCode = "401", description = "Missing or unknown write key")
    @APIResponse(responseCode = "413", description = "Request too large")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After")
    public Uni<TrackResponse> batch(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Content-Encoding") String contentEncoding,
            HttpServerRequest http,
            byte[] body) {
        return handle(null, authorization, contentEncoding, http, body);
    }

    private Uni<TrackResponse> handle(EventType type, String authorization, String contentEncoding,
            HttpServerRequest http, byte[] body) {
        return Uni.createFrom().deferred(() -> tracking.handle(new TrackingService.Request(type, body,
                contentEncoding, authorization, clientAddress.of(http), ClientAddress.edgeCountry(http))));
    }
}
