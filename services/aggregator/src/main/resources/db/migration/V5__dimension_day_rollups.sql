-- Day rollups of dimensions, for "top values over a month": a value's unique persons over 30 days merge 30
-- sketches instead of 720 (measured in docs/BENCHMARKS.md).
CREATE TABLE rollup_dimension_day (
    project_id  text        NOT NULL,
    event_name  text        NOT NULL,
    dimension   text        NOT NULL,
    value       text        NOT NULL,
    day         timestamptz NOT NULL,  -- midnight UTC
    events      bigint      NOT NULL,
    persons     hll         NOT NULL,
    PRIMARY KEY (project_id, event_name, dimension, day, value)
);

INSERT INTO rollup_dimension_day (project_id, event_name, dimension, value, day, events, persons)
SELECT project_id, event_name, dimension, value, date_trunc('day', hour, 'UTC'), sum(events), hll_union_agg(persons)
  FROM rollup_dimension_hour
 GROUP BY 1, 2, 3, 4, 5;
