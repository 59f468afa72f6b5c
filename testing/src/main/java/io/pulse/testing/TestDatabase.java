package io.pulse.testing;

import io.pulse.shared.auth.ApiKeys;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * The real PostgreSQL test database ({@code pulse_test}, created by bin/pulse test), migrated with the
 * aggregator's own migrations. Every test makes its own project, so tests never see each other's data.
 */
public final class TestDatabase {

    public static final String JDBC_URL = System.getProperty("pulse.test.jdbc-url",
            System.getenv().getOrDefault("PULSE_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/pulse_test"));
    public static final String USER = System.getProperty("pulse.test.db-user", "postgres");

    private static volatile boolean migrated;

    private TestDatabase() {
    }

    /** A project with one write key and one read key. */
    public record Project(String id, String writeKey, String readKey) {
    }

    public static synchronized void migrate() {
        if (!migrated) {
            Flyway.configure().dataSource(JDBC_URL, USER, "").locations("classpath:pulse/schema").load().migrate();
            migrated = true;
        }
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC_URL, USER, "");
    }

    public static Project createProject() {
        migrate();
        String id = "t-" + UUID.randomUUID().toString().substring(0, 13);
        Project project = new Project(id, "wk_" + randomHex(), "rk_" + randomHex());
        try (Connection c = connect()) {
            execute(c, "INSERT INTO projects (id, name) VALUES (?, ?)", id, "test " + id);
            execute(c, "INSERT INTO api_keys (key_hash, project_id, kind) VALUES (?, ?, 'write')",
                    ApiKeys.hash(project.writeKey()), id);
            execute(c, "INSERT INTO api_keys (key_hash, project_id, kind) VALUES (?, ?, 'read')",
                    ApiKeys.hash(project.readKey()), id);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test project in " + JDBC_URL, e);
        }
        return project;
    }

    public static void revokeKey(String key) {
        try (Connection c = connect()) {
            execute(c, "UPDATE api_keys SET revoked_at = now() WHERE key_hash = ?", ApiKeys.hash(key));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Derives a project's hour and day rollups from its minute rollups, as the aggregator keeps them, for tests
     * that write minute rollups by hand (the migrations' backfills, for one project).
     */
    public static void rollUpHours(String projectId) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            execute(c, "DELETE FROM rollup_event_hour WHERE project_id = ?", projectId);
            execute(c, "DELETE FROM rollup_dimension_hour WHERE project_id = ?", projectId);
            execute(c, "DELETE FROM rollup_event_day WHERE project_id = ?", projectId);
            execute(c, "DELETE FROM rollup_dimension_day WHERE project_id = ?", projectId);
            execute(c, """
                    INSERT INTO rollup_event_hour (project_id, event_name, hour, events, persons, bot_events)
                    SELECT project_id, event_name, date_trunc('hour', minute, 'UTC'), sum(events),
                           hll_union_agg(persons), sum(bot_events)
                      FROM rollup_event_minute WHERE project_id = ? GROUP BY 1, 2, 3""", projectId);
            execute(c, """
                    INSERT INTO rollup_dimension_hour (project_id, event_name, dimension, value, hour, events, persons)
                    SELECT project_id, event_name, dimension, value, date_trunc('hour', minute, 'UTC'), sum(events),
                           hll_union_agg(persons)
                      FROM rollup_dimension_minute WHERE project_id = ? GROUP BY 1, 2, 3, 4, 5""", projectId);
            execute(c, """
                    INSERT INTO rollup_event_day (project_id, event_name, day, events, persons, bot_events)
                    SELECT project_id, event_name, date_trunc('day', hour, 'UTC'), sum(events), hll_union_agg(persons),
                           sum(bot_events)
                      FROM rollup_event_hour WHERE project_id = ? GROUP BY 1, 2, 3""", projectId);
            execute(c, """
                    INSERT INTO rollup_dimension_day (project_id, event_name, dimension, value, day, events, persons)
                    SELECT project_id, event_name, dimension, value, date_trunc('day', hour, 'UTC'), sum(events),
                           hll_union_agg(persons)
                      FROM rollup_dimension_hour WHERE project_id = ? GROUP BY 1, 2, 3, 4, 5""", projectId);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query, as a long (count queries). */
    public static long queryLong(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            statement.execute();
        }
    }

    public static void execute(String sql, Object... args) {
        try (Connection c = connect()) {
            execute(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
