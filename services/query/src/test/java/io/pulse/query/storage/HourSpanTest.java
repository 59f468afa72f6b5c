package io.pulse.query.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HourSpanTest {

    private static final Instant FROM = Instant.parse("2026-11-30T10:20:00Z");
    private static final Instant TO = Instant.parse("2026-12-02T07:45:00Z");

    @Test
    void wholeHoursInsideTheRange() {
        assertThat(HourSpan.of(FROM, TO, "hour", ZoneOffset.UTC))
                .isEqualTo(new HourSpan(Instant.parse("2026-11-30T11:00:00Z"), Instant.parse("2026-12-02T07:00:00Z")));
        Instant aligned = Instant.parse("2026-11-30T10:00:00Z");
        assertThat(HourSpan.of(aligned, aligned.plusSeconds(7200), "day", ZoneId.of("Europe/Paris")))
                .isEqualTo(new HourSpan(aligned, aligned.plusSeconds(7200)));
    }

    @Test
    void emptyAtTheEndWhenHoursCannotAnswer() {
        HourSpan none = new HourSpan(TO, TO);
        assertThat(HourSpan.of(FROM, TO, "minute", ZoneOffset.UTC)).isEqualTo(none);
        assertThat(HourSpan.of(FROM, TO, "day", ZoneId.of("Asia/Kolkata"))).isEqualTo(none);
        assertThat(HourSpan.of(FROM, TO, "hour", ZoneId.of("Asia/Kathmandu"))).isEqualTo(none);
        Instant within = Instant.parse("2026-11-30T10:59:00Z");
        assertThat(HourSpan.of(FROM, within, "hour", ZoneOffset.UTC).isEmpty()).isTrue();
    }

    @Test
    void aZoneIsCheckedOverTheWholeRange() {
        // Lord Howe Island moves by half an hour: +10:30 in winter, +11:00 in summer (from early October).
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        Instant summer = Instant.parse("2026-12-01T00:00:00Z");
        assertThat(HourSpan.of(summer, summer.plusSeconds(86_400), "hour", lordHowe).isEmpty()).isFalse();
        Instant winter = Instant.parse("2026-07-01T00:00:00Z");
        assertThat(HourSpan.of(winter, summer, "day", lordHowe).isEmpty()).isTrue();
    }
}
