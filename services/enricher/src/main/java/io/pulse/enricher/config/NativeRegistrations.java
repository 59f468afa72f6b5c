package io.pulse.enricher.config;

import com.maxmind.db.Metadata;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.City;
import com.maxmind.geoip2.record.Continent;
import com.maxmind.geoip2.record.Country;
import com.maxmind.geoip2.record.Location;
import com.maxmind.geoip2.record.MaxMind;
import com.maxmind.geoip2.record.Postal;
import com.maxmind.geoip2.record.RepresentedCountry;
import com.maxmind.geoip2.record.Subdivision;
import com.maxmind.geoip2.record.Traits;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.shared.validation.DeadLetter;
import io.pulse.shared.validation.RejectReason;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection although Quarkus cannot see it being used. Yauaa's rule files
 * are listed in application.properties (quarkus.native.resources.includes).
 */
final class NativeRegistrations {

    private NativeRegistrations() {
    }

    /** The contract records go through shared's own ObjectMapper (EventJson), not Quarkus REST. */
    @RegisterForReflection(targets = {RawEvent.class, EventContext.class, EventType.class, EnrichedEvent.class,
            Enrichment.class, DeadLetter.class, RejectReason.class})
    static final class Contract {
    }

    /**
     * MaxMind's decoder builds the database metadata and the City/Country answers through the constructors
     * annotated {@code @MaxMindDbConstructor}, found by reflection.
     */
    @RegisterForReflection(targets = {Metadata.class, CityResponse.class, CountryResponse.class, City.class,
            Continent.class, Country.class, Location.class, MaxMind.class, Postal.class, RepresentedCountry.class,
            Subdivision.class, Traits.class})
    static final class GeoIp {
    }

    /**
     * Yauaa's parse caches are Caffeine caches bounded by size: Caffeine loads the generated cache and node
     * classes by name (SSMS, PSMS; a cache with stats or expiry would need others). Yauaa logs through the Log4j
     * API, whose provider is found with a ServiceLoader.
     */
    @RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMS",
            "com.github.benmanes.caffeine.cache.PSMS", "org.jboss.logmanager.log4j.JBossProvider"})
    static final class ByName {
    }
}
