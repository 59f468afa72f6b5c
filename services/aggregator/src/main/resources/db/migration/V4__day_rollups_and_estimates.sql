-- Measured on 30 days of 10 million events (docs/BENCHMARKS.md): a full HyperLogLog costs ~125 µs to count and
-- ~250 µs to merge, so a 30-day chart by hour spent ~90 ms counting its 720 hours and ~180 ms merging them for
-- the total. Counts are therefore kept beside each hour's and day's sketch (a stored generated column, updated
-- with the sketch by PostgreSQL itself), and day rollups make a month's total a merge of 30 sketches.
ALTER TABLE rollup_event_hour
    ADD COLUMN persons_estimate bigint GENERATED ALWAYS AS (round(hll_cardinality(persons))::bigint) STORED;

CREATE TABLE rollup_event_day (
    project_id        text        NOT NULL,
    event_name        text        NOT NULL,
    day               timestamptz NOT NULL,  -- midnight UTC
    events            bigint      NOT NULL,
    persons           hll         NOT NULL,
    bot_events        bigint      NOT NULL DEFAULT 0,
    persons_estimate  bigint GENERATED ALWAYS AS (round(hll_cardinality(persons))::bigint) STORED,
    PRIMARY KEY (project_id, event_name, day)
);

INSERT INTO rollup_event_day (project_id, event_name, day, events, persons, bot_events)
SELECT project_id, event_name, date_trunc('day', hour, 'UTC'), sum(events), hll_union_agg(persons), sum(bot_events)
  FROM rollup_event_hour
 GROUP BY 1, 2, 3;
