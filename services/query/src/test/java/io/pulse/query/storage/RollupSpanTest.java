package io.pulse.query.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RollupSpanTest {

    private static final Instant FROM = Instant.parse("2026-11-30T10:20:00Z");
    private static final Instant TO = Instant.parse("2026-12-03T07:45:00Z");
    private static final Instant H11 = Instant.parse("2026-11-30T11:00:00Z");
    private static final Instant H07 = Instant.parse("2026-12-03T07:00:00Z");

    @Test
    void hourBucketsReadWholeHours() {
        assertThat(RollupSpan.of(FROM, TO, "hour", ZoneOffset.UTC)).isEqualTo(new RollupSpan(H11, H07, H07, H07));
        assertThat(RollupSpan.of(FROM, TO, "day", ZoneId.of("Europe/Paris"))).isEqualTo(new RollupSpan(H11, H07, H07, H07));
    }

    @Test
    void dayBucketsInUtcAndTotalsReadWholeDaysToo() {
        RollupSpan days = new RollupSpan(H11, Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-03T00:00:00Z"),
                H07);
        assertThat(RollupSpan.of(FROM, TO, "day", ZoneOffset.UTC)).isEqualTo(days);
        assertThat(RollupSpan.forTotal(FROM, TO)).isEqualTo(days);
        // A range without a whole day inside: hours only.
        Instant evening = Instant.parse("2026-11-30T20:00:00Z");
        assertThat(RollupSpan.forTotal(FROM, evening).usesDays()).isFalse();
        assertThat(RollupSpan.forTotal(FROM, evening).usesHours()).isTrue();
    }

    @Test
    void minutesOnlyWhenCoarserRowsWouldStraddleBuckets() {
        RollupSpan none = new RollupSpan(TO, TO, TO, TO);
        assertThat(RollupSpan.of(FROM, TO, "minute", ZoneOffset.UTC)).isEqualTo(none);
        assertThat(RollupSpan.of(FROM, TO, "day", ZoneId.of("Asia/Kolkata"))).isEqualTo(none);
        assertThat(RollupSpan.of(FROM, TO, "hour", ZoneId.of("Asia/Kathmandu"))).isEqualTo(none);
        assertThat(RollupSpan.of(FROM, Instant.parse("2026-11-30T10:59:00Z"), "hour", ZoneOffset.UTC).usesHours())
                .isFalse();
    }

    @Test
    void aZoneIsCheckedOverTheWholeRange() {
        // Lord Howe Island moves by half an hour: +10:30 in winter, +11:00 in summer (from early October).
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        Instant summer = Instant.parse("2026-12-01T00:00:00Z");
        assertThat(RollupSpan.of(summer, summer.plusSeconds(86_400), "hour", lordHowe).usesHours()).isTrue();
        Instant winter = Instant.parse("2026-07-01T00:00:00Z");
        assertThat(RollupSpan.of(winter, summer, "day", lordHowe).usesHours()).isFalse();
    }
}
