package io.pulse.query.config;

import io.pulse.shared.http.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection although Quarkus cannot see it being used: Problem is a
 * Response entity. (The answers are return types of the resources, which Quarkus registers itself, also for
 * QueryCache's reads.)
 */
@RegisterForReflection(targets = Problem.class)
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
