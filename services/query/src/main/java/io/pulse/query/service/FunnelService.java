package io.pulse.query.service;

import io.pulse.query.config.QueryConfig;
import io.pulse.query.storage.EventRepository;
import io.pulse.query.storage.EventRepository.StepRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Ordered funnels over identity-resolved persons, from the raw events. */
@ApplicationScoped
public class FunnelService {

    private final EventRepository events;
    private final QueryConfig config;

    public FunnelService(EventRepository events, QueryConfig config) {
        this.events = events;
        this.config = config;
    }

    public record FunnelQuery(List<String> steps, Instant from, Instant to, Duration window, boolean open) {
    }

    /**
     * @param conversion             persons at this step / persons at step 1
     * @param conversionFromPrevious persons at this step / persons at the step before
     * @param medianSecondsFromPrevious median time from the step before, null for step 1 or when nobody reached it
     */
    public record Step(String event, long persons, double conversion, double conversionFromPrevious,
            Double medianSecondsFromPrevious) {
    }

    public record Funnel(List<String> steps, Instant from, Instant to, String window, List<Step> result) {
    }

    public FunnelQuery parse(String steps, String window, String from, String to) {
        List<String> names = Params.names("steps", steps, 2, 10);
        Duration w = Params.duration("window", window, Duration.ofDays(1), Duration.ofDays(31));
        Params.Range range = Params.range(from, to, Duration.ofDays(1), Duration.ofDays(config.maxRangeDays()));
        return new FunnelQuery(names, range.from(), range.to(), w, range.open());
    }

    public Uni<Funnel> funnel(String projectId, FunnelQuery q) {
        return events.funnel(projectId, q.steps(), q.from(), q.to(), q.window().toMillis()).map(rows -> {
            long[] persons = new long[q.steps().size()];
            Double[] medians = new Double[q.steps().size()];
            for (StepRow row : rows) {
                persons[row.step() - 1] = row.persons();
                medians[row.step() - 1] = row.medianSeconds();
            }
            List<Step> out = new ArrayList<>();
            for (int i = 0; i < persons.length; i++) {
                out.add(new Step(q.steps().get(i), persons[i], ratio(persons[i], persons[0]),
                        i == 0 ? ratio(persons[0], persons[0]) : ratio(persons[i], persons[i - 1]),
                        i == 0 ? null : medians[i]));
            }
            return new Funnel(q.steps(), q.from(), q.to(), q.window().toString(), out);
        });
    }

    static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(10_000.0 * part / whole) / 10_000.0;
    }
}
