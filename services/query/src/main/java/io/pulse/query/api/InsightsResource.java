package io.pulse.query.api;

import io.pulse.query.service.FunnelService;
import io.pulse.query.service.FunnelService.Funnel;
import io.pulse.query.service.QueryCache;
import io.pulse.query.service.ReadKeys;
import io.pulse.query.service.RetentionService;
import io.pulse.query.service.RetentionService.Retention;
import io.pulse.query.service.Trend;
import io.pulse.query.service.TrendService;
import io.pulse.query.service.TrendService.TopValues;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Dashboard charts. Every call is scoped to the project of the Bearer read key; answers are cached in Redis
 * (closed ranges long, ranges that include now for a second) unless the client sends Cache-Control: no-cache.
 */
@Path("/v1/projects/{projectId}/insights")
@Tag(name = "insights", description = "Charts from rollups (trends, top values) and raw events (funnels, retention)")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "A parameter is missing or invalid (field names it)")
@APIResponse(responseCode = "401", description = "Missing or unknown read key")
@APIResponse(responseCode = "404", description = "The key does not belong to this project")
public class InsightsResource {

    private final ReadKeys readKeys;
    private final TrendService trends;
    private final FunnelService funnels;
    private final RetentionService retention;
    private final QueryCache cache;

    public InsightsResource(ReadKeys readKeys, TrendService trends, FunnelService funnels,
            RetentionService retention, QueryCache cache) {
        this.readKeys = readKeys;
        this.trends = trends;
        this.funnels = funnels;
        this.retention = retention;
        this.cache = cache;
    }

    @GET
    @Path("/trends")
    @Operation(summary = "Events and unique persons per bucket for one event, optionally broken down by a dimension")
    @APIResponse(responseCode = "200", description = "Every bucket of the range, zero-filled, and the totals",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Trend.class)))
    public Uni<String> trends(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam("Pragma") String pragma,
            @PathParam("projectId") String projectId,
            @QueryParam("event") String event,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("interval") String interval,
            @QueryParam("tz") String tz,
            @QueryParam("breakdown") String breakdown,
            @QueryParam("limit") String limit) {
        return readKeys.authorize(authorization, projectId).chain(() -> {
            var q = trends.parse(event, from, to, interval, tz, breakdown, limit);
            return cache.get(projectId, "trends", q, q.open(), QueryCache.noCache(cacheControl, pragma),
                    () -> trends.trend(projectId, q));
        });
    }

    @GET
    @Path("/top")
    @Operation(summary = "Top values of a dimension (path, referrer, country, ...) by events, for one event or all")
    @APIResponse(responseCode = "200", description = "Values with their events and unique persons, most events first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopValues.class)))
    public Uni<String> top(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam("Pragma") String pragma,
            @PathParam("projectId") String projectId,
            @QueryParam("dimension") String dimension,
            @QueryParam("event") String event,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit) {
        return readKeys.authorize(authorization, projectId).chain(() -> {
            var q = trends.parseTop(dimension, event, from, to, limit);
            return cache.get(projectId, "top", q, q.open(), QueryCache.noCache(cacheControl, pragma),
                    () -> trends.top(projectId, q));
        });
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Ordered funnel: persons reaching each step within the window, median time between steps")
    @APIResponse(responseCode = "200", description = "One entry per step",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Funnel.class)))
    public Uni<String> funnel(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam("Pragma") String pragma,
            @PathParam("projectId") String projectId,
            @QueryParam("steps") String steps,
            @QueryParam("window") String window,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return readKeys.authorize(authorization, projectId).chain(() -> {
            var q = funnels.parse(steps, window, from, to);
            return cache.get(projectId, "funnel", q, q.open(), QueryCache.noCache(cacheControl, pragma),
                    () -> funnels.funnel(projectId, q));
        });
    }

    @GET
    @Path("/retention")
    @Operation(summary = "Retention triangle: cohorts by first start event, returns by the return event per period")
    @APIResponse(responseCode = "200", description = "One cohort per day or week of the range",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Retention.class)))
    public Uni<String> retention(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam("Pragma") String pragma,
            @PathParam("projectId") String projectId,
            @QueryParam("start") String start,
            @QueryParam("return") String returnEvent,
            @QueryParam("interval") String interval,
            @QueryParam("tz") String tz,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return readKeys.authorize(authorization, projectId).chain(() -> {
            var q = retention.parse(start, returnEvent, interval, tz, from, to);
            return cache.get(projectId, "retention", q, q.open(), QueryCache.noCache(cacheControl, pragma),
                    () -> retention.retention(projectId, q));
        });
    }
}
