package io.pulse.query.api;

import io.pulse.query.service.LiveService;
import io.pulse.query.service.LiveService.Live;
import io.pulse.query.service.LiveService.Timeline;
import io.pulse.query.service.Params;
import io.pulse.query.service.ReadKeys;
import io.pulse.query.service.RecommendationService;
import io.pulse.query.service.RecommendationService.Recommendations;
import io.pulse.query.service.StreamService;
import io.pulse.query.config.QueryConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Live activity from Redis hot data: counters, the event stream (SSE), timelines and recommendations. */
@Path("/v1/projects/{projectId}")
@Tag(name = "live", description = "Live counters, the event stream, person timelines and recommendations")
@APIResponse(responseCode = "400", description = "A parameter is invalid (field names it)")
@APIResponse(responseCode = "401", description = "Missing or unknown read key")
@APIResponse(responseCode = "404", description = "The key does not belong to this project")
public class LiveResource {

    private final ReadKeys readKeys;
    private final LiveService live;
    private final StreamService stream;
    private final RecommendationService recommendations;
    private final QueryConfig config;

    public LiveResource(ReadKeys readKeys, LiveService live, StreamService stream,
            RecommendationService recommendations, QueryConfig config) {
        this.readKeys = readKeys;
        this.live = live;
        this.stream = stream;
        this.recommendations = recommendations;
        this.config = config;
    }

    @GET
    @Path("/live")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Persons active in the last 5 minutes, events in the last minute and per second")
    @APIResponse(responseCode = "200", description = "Counters as of now")
    public Uni<Live> live(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("projectId") String projectId) {
        return readKeys.authorize(authorization, projectId).chain(() -> live.live(projectId));
    }

    /**
     * EventSource cannot send headers, so this endpoint alone also takes the read key as {@code ?key=}. Each
     * event's id is its stream entry id; a reconnecting EventSource resumes after it (Last-Event-ID).
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of the project's events as they are stored, with heartbeats")
    @APIResponse(responseCode = "200", description = "An endless text/event-stream; data is the enriched event JSON")
    public Multi<OutboundSseEvent> stream(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("key") String key,
            @HeaderParam("Last-Event-ID") String lastEventIdHeader,
            @QueryParam("lastEventId") String lastEventIdParam,
            @PathParam("projectId") String projectId,
            @QueryParam("event") String event,
            @QueryParam("person") String person,
            @Context Sse sse) {
        // The key was checked by StreamKeyFilter; everything else is checked before the stream starts.
        String eventFilter = Params.optionalName("event", event);
        String personFilter = Params.optionalName("person", person);
        String lastEventId = StreamService.checkLastEventId(
                lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        Multi<OutboundSseEvent> data = stream.follow(projectId, lastEventId, eventFilter, personFilter)
                .map(e -> sse.newEventBuilder().id(e.id()).name("event")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(e.fields().getOrDefault("json", "{}")).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(config.stream().heartbeat())
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        Multi<OutboundSseEvent> hello = Multi.createFrom().item(sse.newEventBuilder().comment("ready").build());
        return Multi.createBy().concatenating().streams(hello, Multi.createBy().merging().streams(data, heartbeats));
    }

    /** The Authorization header, else {@code ?key=} as a Bearer credential (EventSource cannot send headers). */
    static String credentials(String authorization, String key) {
        return authorization == null && key != null ? "Bearer " + key : authorization;
    }

    @GET
    @Path("/persons/{person}/timeline")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A person's recent events, newest first (Redis, else the last 30 days of stored events)")
    @APIResponse(responseCode = "200", description = "The events; source says where they came from")
    public Uni<Timeline> timeline(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("projectId") String projectId,
            @PathParam("person") String person,
            @QueryParam("limit") String limit) {
        return readKeys.authorize(authorization, projectId).chain(() -> live.timeline(projectId,
                Params.name("person", person), Params.limit("limit", limit, 50, 500), Duration.ofDays(30)));
    }

    @GET
    @Path("/recommendations")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Items often seen with an item, or for a person (without items they saw); else trending")
    @APIResponse(responseCode = "200", description = "Items by score; source is co-occurrence or trending")
    public Uni<Recommendations> recommendations(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("projectId") String projectId,
            @QueryParam("item") String item,
            @QueryParam("person") String person,
            @QueryParam("limit") String limit) {
        return readKeys.authorize(authorization, projectId).chain(() -> recommendations.recommend(projectId, item,
                person, Params.limit("limit", limit, 10, 100)));
    }
}
