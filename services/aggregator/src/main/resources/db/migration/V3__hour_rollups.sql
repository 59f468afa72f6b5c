-- Hour rollups beside the minute ones, written in the same statement as them. A 30-day chart by hour reads 720
-- rows per series here instead of 43,200 minute rows (measured in docs/BENCHMARKS.md); the query service reads
-- minutes only for the unaligned edges of a range and for time zones whose offset is not whole hours.
CREATE TABLE rollup_event_hour (
    project_id  text        NOT NULL,
    event_name  text        NOT NULL,
    hour        timestamptz NOT NULL,
    events      bigint      NOT NULL,
    persons     hll         NOT NULL,
    bot_events  bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, event_name, hour)
);

CREATE TABLE rollup_dimension_hour (
    project_id  text        NOT NULL,
    event_name  text        NOT NULL,
    dimension   text        NOT NULL,
    value       text        NOT NULL,
    hour        timestamptz NOT NULL,
    events      bigint      NOT NULL,
    persons     hll         NOT NULL,
    PRIMARY KEY (project_id, event_name, dimension, hour, value)
);

-- Existing minutes, rolled up once into hours of UTC (whatever the session's time zone). The aggregator keeps
-- both in step from here on, in one transaction.
INSERT INTO rollup_event_hour (project_id, event_name, hour, events, persons, bot_events)
SELECT project_id, event_name, date_trunc('hour', minute, 'UTC'), sum(events), hll_union_agg(persons), sum(bot_events)
  FROM rollup_event_minute
 GROUP BY 1, 2, 3;

INSERT INTO rollup_dimension_hour (project_id, event_name, dimension, value, hour, events, persons)
SELECT project_id, event_name, dimension, value, date_trunc('hour', minute, 'UTC'), sum(events), hll_union_agg(persons)
  FROM rollup_dimension_minute
 GROUP BY 1, 2, 3, 4, 5;
