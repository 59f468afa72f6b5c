package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAnonymizerTest {

    @Test
    void ipv4KeepsItsSlash24() {
        assertThat(IpAnonymizer.anonymize("81.2.69.142")).isEqualTo("81.2.69.0");
        assertThat(IpAnonymizer.anonymize(" 10.0.0.255 ")).isEqualTo("10.0.0.0");
    }

    @Test
    void ipv6KeepsItsSlash48() {
        assertThat(IpAnonymizer.anonymize("2001:db8:85a3:8d3:1319:8a2e:370:7348")).isEqualTo("2001:db8:85a3:0:0:0:0:0");
        assertThat(IpAnonymizer.anonymize("::1")).isEqualTo("0:0:0:0:0:0:0:0");
    }

    @Test
    void anythingElseIsDroppedNotResolved() {
        assertThat(IpAnonymizer.anonymize("example.com")).isNull();
        assertThat(IpAnonymizer.anonymize("999.1.1.1")).isNull();
        assertThat(IpAnonymizer.anonymize("1.2.3")).isNull();
        assertThat(IpAnonymizer.anonymize("abc:xyz")).isNull();
        assertThat(IpAnonymizer.anonymize("")).isNull();
        assertThat(IpAnonymizer.anonymize(null)).isNull();
    }
}
