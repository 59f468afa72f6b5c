package io.pulse.query.config;

import io.pulse.query.service.FunnelService.Funnel;
import io.pulse.query.service.FunnelService.Step;
import io.pulse.query.service.RetentionService.Cohort;
import io.pulse.query.service.RetentionService.Retention;
import io.pulse.query.service.Trend;
import io.pulse.query.service.TrendService.TopValues;
import io.pulse.query.storage.RollupRepository.ValueRow;
import io.pulse.shared.http.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection although Quarkus cannot see it being used: Problem is a
 * Response entity, and the answers are written to JSON text by QueryCache (the resources return that text).
 */
@RegisterForReflection(targets = {Problem.class, Trend.class, Trend.Point.class, Trend.Totals.class,
    Trend.Breakdown.class, Trend.ValueSeries.class, TopValues.class, ValueRow.class, Funnel.class, Step.class,
    Retention.class, Cohort.class})
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
