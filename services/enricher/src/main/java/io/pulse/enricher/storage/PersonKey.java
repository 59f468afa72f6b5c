package io.pulse.enricher.storage;

/** An id (distinct, anonymous or user id) within its project: sessions and identities never cross projects. */
public record PersonKey(String projectId, String id) {
}
