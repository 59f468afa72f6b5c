package io.pulse.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Builds the app as `cdk synth` does: the context of cdk.json, plus the -c values a test passes. */
final class TestApps {

    private TestApps() {
    }

    static PulseStack synth(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        context.putAll(overrides);
        App app = new App(AppProps.builder().context(context).build());
        return PulseApp.create(app);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read cdk.json in " + Path.of("").toAbsolutePath(), e);
        }
    }
}
