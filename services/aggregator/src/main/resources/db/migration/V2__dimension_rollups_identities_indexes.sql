-- Minute rollups per (project, event, dimension, value): country, browser, os, device, path, referrer (domain),
-- channel, utm_source, utm_campaign. Breakdowns and "top values" read these. Bots are kept out.
CREATE TABLE rollup_dimension_minute (
    project_id  text        NOT NULL,
    event_name  text        NOT NULL,
    dimension   text        NOT NULL,
    value       text        NOT NULL,
    minute      timestamptz NOT NULL,
    events      bigint      NOT NULL,
    persons     hll         NOT NULL,
    PRIMARY KEY (project_id, event_name, dimension, minute, value)
);

-- Anonymous visitors linked to the user they identified as (identify with both ids, or alias). The first link
-- wins: a person is not re-attributed later. The enricher resolves from Redis; this is the record.
CREATE TABLE identities (
    project_id    text        NOT NULL,
    anonymous_id  text        NOT NULL,
    user_id       text        NOT NULL,
    linked_at     timestamptz NOT NULL,
    PRIMARY KEY (project_id, anonymous_id)
);
CREATE INDEX identities_user ON identities (project_id, user_id);

-- What the query service's funnels, retention and per-person timelines read from raw events, and no more:
-- one person's events in time order, and one event's occurrences in a range.
CREATE INDEX events_person_time ON events (project_id, person_id, event_time);
CREATE INDEX events_name_time ON events (project_id, event_name, event_time);

-- Drops the daily partitions of events older than the given day; returns how many. Rollups are kept.
CREATE FUNCTION pulse_drop_event_partitions_before(cutoff date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part record;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT c.relname FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = 'events' AND c.relname ~ '^events_[0-9]{8}$'
           AND to_date(substring(c.relname FROM 8), 'YYYYMMDD') < cutoff
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END;
$$;
