package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseTest {

    @Test
    void theCanaryColourTakesTheCanaryWeightAndTheLiveColourTheRest() {
        Release release = new Release(Colour.BLUE, 10, Map.of(Colour.BLUE, "1.0.0", Colour.GREEN, "1.1.0"), "b");
        assertThat(release.weight(Colour.GREEN)).isEqualTo(10);
        assertThat(release.weight(Colour.BLUE)).isEqualTo(90);
    }

    @Test
    void aColourWithoutAVersionRunsNothing() {
        Release release = new Release(Colour.GREEN, 0, Map.of(Colour.BLUE, "none", Colour.GREEN, "1.1.0"), "b");
        assertThat(release.runs(Colour.BLUE)).isFalse();
        assertThat(release.runs(Colour.GREEN)).isTrue();
    }

    @Test
    void trafficNeverGoesToAColourWithoutAVersion() {
        assertThatThrownBy(() -> new Release(Colour.BLUE, 10, Map.of(Colour.BLUE, "1.0.0", Colour.GREEN, ""), "b"))
                .hasMessageContaining("greenVersion");
        assertThatThrownBy(() -> new Release(Colour.GREEN, 0, Map.of(Colour.BLUE, "1.0.0", Colour.GREEN, "none"), "b"))
                .hasMessageContaining("greenVersion");
    }

    @Test
    void weightsAndColoursAreChecked() {
        Map<Colour, String> both = Map.of(Colour.BLUE, "1", Colour.GREEN, "2");
        assertThatThrownBy(() -> new Release(Colour.BLUE, 101, both, "b")).hasMessageContaining("0..100");
        assertThatThrownBy(() -> Colour.parse("red")).hasMessageContaining("blue or green");
        assertThat(Colour.parse(" Green ")).isEqualTo(Colour.GREEN);
    }
}
