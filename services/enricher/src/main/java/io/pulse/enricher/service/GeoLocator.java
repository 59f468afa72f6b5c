package io.pulse.enricher.service;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AbstractCityResponse;
import com.maxmind.geoip2.model.AbstractCountryResponse;
import io.pulse.enricher.config.EnricherConfig;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Country, region and city of an event: the country the CDN edge saw when ingest got one, else a lookup of the
 * full client IP in a MaxMind GeoIP2/GeoLite2 database when one is configured. Must run before the IP is
 * anonymized: a /24 can sit in another city than the address.
 */
@Singleton
@Startup // a wrong database path fails the start, not the first event
public class GeoLocator {

    private static final Logger LOG = Logger.getLogger(GeoLocator.class);

    private final DatabaseReader reader;
    private final boolean hasCities;

    @Inject
    public GeoLocator(EnricherConfig config) {
        this(config.geo().database());
    }

    /** @param database a City or Country database; empty: edge country only */
    public GeoLocator(Optional<String> database) {
        if (database.isEmpty() || database.get().isBlank()) {
            this.reader = null;
            this.hasCities = false;
            return;
        }
        File file = new File(database.get().trim());
        try {
            // Memory-mapped (the default) plus MaxMind's node cache: lookups allocate little and never block on I/O.
            this.reader = new DatabaseReader.Builder(file).withCache(new CHMCache()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the GeoIP database " + file.getAbsolutePath()
                    + " (pulse.enricher.geo.database)", e);
        }
        String type = reader.getMetadata().getDatabaseType();
        this.hasCities = type.contains("City");
        if (!hasCities && !type.contains("Country")) {
            close();
            throw new IllegalArgumentException("GeoIP database " + file + " is a " + type
                    + " database; pulse.enricher.geo.database needs a City or Country one");
        }
        LOG.infof("geography from %s (%s)", file, type);
    }

    /** Geography of an event, or null when neither the edge nor the database knows. Never throws for bad input. */
    public Enrichment.Geo locate(EventContext context) {
        String edge = edgeCountry(context.edgeCountry());
        if (edge != null) {
            return new Enrichment.Geo(edge, null, null);
        }
        if (reader == null) {
            return null;
        }
        byte[] address = IpAnonymizer.parse(context.ip());
        if (address == null) {
            return null;
        }
        try {
            InetAddress ip = InetAddress.getByAddress(address);
            return hasCities ? reader.tryCity(ip).map(GeoLocator::geo).orElse(null)
                    : reader.tryCountry(ip).map(GeoLocator::geo).orElse(null);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        } catch (IOException | GeoIp2Exception e) {
            // A damaged database must not dead-letter the traffic: the event flows without geography.
            LOG.debugf(e, "GeoIP lookup failed");
            return null;
        }
    }

    private static Enrichment.Geo geo(AbstractCityResponse city) {
        String country = city.getCountry().getIsoCode();
        String region = city.getMostSpecificSubdivision().getName();
        String name = city.getCity().getName();
        return country == null && region == null && name == null ? null : new Enrichment.Geo(country, region, name);
    }

    private static Enrichment.Geo geo(AbstractCountryResponse response) {
        String country = response.getCountry().getIsoCode();
        return country == null ? null : new Enrichment.Geo(country, null, null);
    }

    /** Two upper-case letters; Cloudflare's XX (unknown) and T1 (Tor) are not countries. */
    static String edgeCountry(String header) {
        if (header == null || header.length() != 2) {
            return null;
        }
        char a = Character.toUpperCase(header.charAt(0));
        char b = Character.toUpperCase(header.charAt(1));
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || (a == 'X' && b == 'X')) {
            return null;
        }
        return "" + a + b;
    }

    @PreDestroy
    void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                LOG.debug("closing the GeoIP database failed", e);
            }
        }
    }
}
