package io.pulse.aggregator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PersonHash against the hll extension's own hll_hash_text, on every tail length and on non-ASCII text. */
class PersonHashTest {

    @Test
    void equalsHllHashTextOfPostgreSql() {
        List<String> texts = new ArrayList<>(List.of("", "a", "user-1", "anonymous-7f3a", "é-ü-漢字", "🙂 person"));
        SplittableRandom random = new SplittableRandom(11);
        for (int length = 1; length <= 48; length++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append((char) ('!' + random.nextInt(94)));
            }
            texts.add(text.toString());
        }
        TestDatabase.migrate();
        for (String text : texts) {
            assertThat(PersonHash.of(text)).as("hash of [%s]", text)
                    .isEqualTo(TestDatabase.queryLong("SELECT hll_hash_text(?)::text::bigint", text));
        }
    }
}
