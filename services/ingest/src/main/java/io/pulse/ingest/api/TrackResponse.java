package io.pulse.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * 200 answer: {"success":true}, plus for batches how many were accepted and which were refused and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackResponse(boolean success, Integer accepted, List<RejectedItem> rejected) {

    public static final TrackResponse OK = new TrackResponse(true, null, null);

    public record RejectedItem(int index, String field, String reason, String message) {
    }
}
