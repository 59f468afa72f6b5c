-- Pulse schema, owned by the aggregator. Other services only read: ingest and query read api_keys.

-- HyperLogLog sketches of persons in the rollups (Debian: postgresql-15-hll; Amazon RDS offers it too).
CREATE EXTENSION IF NOT EXISTS hll;

CREATE TABLE projects (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Keys are stored as the hex SHA-256 of the key (io.pulse.shared.auth.ApiKeys), never in clear.
CREATE TABLE api_keys (
    key_hash    text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('write', 'read')),
    label       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_project ON api_keys (project_id);

-- Every enriched event, partitioned by day of event time (UTC). The primary key makes a replayed record a
-- no-op: it must contain the partition key, and the enricher keeps event_time deterministic for a messageId.
CREATE TABLE events (
    project_id   text        NOT NULL,
    event_time   timestamptz NOT NULL,
    message_id   text        NOT NULL,
    type         text        NOT NULL,
    event_name   text        NOT NULL,
    distinct_id  text        NOT NULL,
    person_id    text        NOT NULL,
    session_id   text,
    bot          boolean     NOT NULL DEFAULT false,
    received_at  timestamptz NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    payload      jsonb       NOT NULL,
    PRIMARY KEY (project_id, event_time, message_id)
) PARTITION BY RANGE (event_time);

-- Catches events for days whose partition does not exist yet, so none is lost; pulse_ensure_event_partition
-- moves them into the day's partition when it is created.
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Creates the partition of one UTC day, moving any rows the default partition holds for it.
CREATE FUNCTION pulse_ensure_event_partition(day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    part_name text := 'events_' || to_char(day, 'YYYYMMDD');
    lower_bound timestamptz := (day::timestamp AT TIME ZONE 'UTC');
    upper_bound timestamptz := ((day + 1)::timestamp AT TIME ZONE 'UTC');
BEGIN
    IF to_regclass(part_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    -- Serialize with writers and with other instances doing the same.
    LOCK TABLE events_default IN ACCESS EXCLUSIVE MODE;
    IF to_regclass(part_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
    EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE event_time >= %L AND event_time < %L RETURNING *)
                    INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, part_name);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   part_name, lower_bound, upper_bound);
    RETURN true;
END;
$$;

-- Minute rollup per (project, event): the number of events and a HyperLogLog of persons. Charts read these,
-- never the raw events. Bot events are kept out (counted in bot_events instead).
CREATE TABLE rollup_event_minute (
    project_id  text        NOT NULL,
    event_name  text        NOT NULL,
    minute      timestamptz NOT NULL,
    events      bigint      NOT NULL,
    persons     hll         NOT NULL,
    bot_events  bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, event_name, minute)
);

-- Where each consumer group is in each partition, written in the same transaction as the rows it covers:
-- after a crash the aggregator seeks here, so a replayed batch is never applied twice.
CREATE TABLE consumer_offsets (
    consumer_group  text   NOT NULL,
    topic           text   NOT NULL,
    partition       int    NOT NULL,
    next_offset     bigint NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);
