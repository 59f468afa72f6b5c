package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GeoLocatorTest {

    /**
     * MaxMind's test databases live in the team's shared folder, beside the project (../shared/data/geoip from
     * the project's root; tests run in services/enricher). Never copied into the project.
     */
    static final Path TEST_DATABASES = Path.of("../../../shared/data/geoip");

    static Optional<String> testDatabase(String name) {
        Path file = TEST_DATABASES.resolve(name);
        assumeTrue(Files.isReadable(file), "MaxMind test database " + file.toAbsolutePath().normalize()
                + " is absent: geography tests against a database skipped");
        return Optional.of(file.toString());
    }

    private static EventContext context(String ip, String edgeCountry) {
        return new EventContext(ip, null, null, null, null, null, edgeCountry);
    }

    @Test
    void theEdgeCountryWinsWithoutADatabase() {
        GeoLocator geo = new GeoLocator(Optional.empty());
        assertThat(geo.locate(context("81.2.69.142", "de"))).isEqualTo(new Enrichment.Geo("DE", null, null));
        assertThat(geo.locate(context("81.2.69.142", null))).isNull();
    }

    @Test
    void unknownAndTorEdgeCodesAreNotCountries() {
        assertThat(GeoLocator.edgeCountry("XX")).isNull();
        assertThat(GeoLocator.edgeCountry("T1")).isNull();
        assertThat(GeoLocator.edgeCountry("GBR")).isNull();
        assertThat(GeoLocator.edgeCountry("se")).isEqualTo("SE");
    }

    @Test
    void theCityDatabaseAnswersFromTheFullAddress() {
        GeoLocator geo = new GeoLocator(testDatabase("GeoLite2-City-Test.mmdb"));
        assertThat(geo.locate(context("81.2.69.142", null))).isEqualTo(new Enrichment.Geo("GB", "England", "London"));
        Enrichment.Geo linkoping = geo.locate(context("89.160.20.112", null));
        assertThat(linkoping.country()).isEqualTo("SE");
        assertThat(linkoping.city()).isEqualTo("Linköping");
        assertThat(geo.locate(context("2001:218::1", null))).extracting(Enrichment.Geo::country).isEqualTo("JP");
        assertThat(geo.locate(context("10.0.0.1", null))).isNull();
        // the edge still wins over the database
        assertThat(geo.locate(context("81.2.69.142", "FR"))).isEqualTo(new Enrichment.Geo("FR", null, null));
    }

    @Test
    void garbageAddressesFindNothingAndNeverThrow() {
        GeoLocator geo = new GeoLocator(testDatabase("GeoLite2-City-Test.mmdb"));
        assertThat(geo.locate(context("not an ip", null))).isNull();
        assertThat(geo.locate(context("example.com", null))).isNull();
        assertThat(geo.locate(context(null, null))).isNull();
    }

    @Test
    void aCountryDatabaseGivesTheCountryOnly() {
        GeoLocator geo = new GeoLocator(testDatabase("GeoLite2-Country-Test.mmdb"));
        assertThat(geo.locate(context("81.2.69.142", null))).isEqualTo(new Enrichment.Geo("GB", null, null));
    }

    @Test
    void aDatabaseOfAnotherKindIsRefusedAtStartup() {
        Optional<String> asn = testDatabase("GeoLite2-ASN-Test.mmdb");
        assertThatThrownBy(() -> new GeoLocator(asn)).hasMessageContaining("City or Country");
        assertThatThrownBy(() -> new GeoLocator(Optional.of("/nonexistent/GeoLite2-City.mmdb")))
                .hasMessageContaining("pulse.enricher.geo.database");
    }
}
