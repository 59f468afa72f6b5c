package io.pulse.query.api;

import io.pulse.query.service.ReadKeys;
import io.pulse.query.service.Trend;
import io.pulse.query.service.TrendService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Dashboard charts, answered from rollups. Every call is scoped to the project of the Bearer read key. */
@Path("/v1/projects/{projectId}/insights")
@Tag(name = "insights", description = "Charts from pre-aggregated rollups")
@Produces(MediaType.APPLICATION_JSON)
public class InsightsResource {

    private final ReadKeys readKeys;
    private final TrendService trends;

    public InsightsResource(ReadKeys readKeys, TrendService trends) {
        this.readKeys = readKeys;
        this.trends = trends;
    }

    @GET
    @Path("/trends")
    @Operation(summary = "Events and unique persons per bucket for one event")
    @APIResponse(responseCode = "200", description = "Every bucket of the range, zero-filled, and the totals")
    @APIResponse(responseCode = "400", description = "A parameter is missing or invalid (field names it)")
    @APIResponse(responseCode = "401", description = "Missing or unknown read key")
    @APIResponse(responseCode = "404", description = "The key does not belong to this project")
    public Uni<Trend> trends(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("projectId") String projectId,
            @QueryParam("event") String event,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("interval") String interval,
            @QueryParam("tz") String tz) {
        return readKeys.authorize(authorization, projectId)
                .chain(() -> trends.trend(projectId, event, from, to, interval, tz));
    }
}
