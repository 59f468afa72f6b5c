package io.pulse.ingest.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Publishes percentiles of the HTTP request latency, the number people watch on an ingest dashboard. */
@Singleton
public class Metrics {

    @Produces
    @Singleton
    public MeterFilter requestLatencyPercentiles() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("http.server.requests")) {
                    return DistributionStatisticConfig.builder().percentiles(0.5, 0.99, 0.999)
                            .percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }
}
