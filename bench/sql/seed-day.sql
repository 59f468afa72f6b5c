-- One day of the query benchmark's data set: :events events of project :'project' on day :'day' (UTC), by
-- :persons persons, stored as the aggregator stores them (events, then minute, hour and day rollups of the same
-- rows).
-- psql -v project=... -v day=2026-11-01 -v events=333334 -v persons=300000 -v seed=1 -f seed-day.sql
\set ON_ERROR_STOP on
SET TIME ZONE 'UTC';
BEGIN;
SELECT pulse_ensure_event_partition(:'day'::date);
SELECT setseed(:seed / 1000.0);

CREATE TEMP TABLE day_events ON COMMIT DROP AS
SELECT :'project'::text AS project_id,
       :'day'::timestamptz + random() * interval '1 day' AS event_time,
       'bench-' || :'day' || '-' || i AS message_id,
       -- a realistic mix: mostly views, fewer steps down the funnel
       (ARRAY['Page Viewed', 'Page Viewed', 'Page Viewed', 'Page Viewed', 'Page Viewed', 'Product Viewed',
              'Product Viewed', 'Signed Up', 'Activated', 'Purchased'])[1 + floor(random() * 10)::int] AS event_name,
       'p' || floor(power(random(), 2) * :persons)::int AS person_id,   -- some persons far busier than others
       (ARRAY['US', 'US', 'US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'CA'])[1 + floor(random() * 10)::int] AS country,
       (ARRAY['Chrome', 'Chrome', 'Chrome', 'Safari', 'Safari', 'Firefox', 'Edge', 'Samsung Internet'])
           [1 + floor(random() * 8)::int] AS browser,
       '/page/' || floor(power(random(), 3) * 200)::int AS path
  FROM generate_series(1, :events) AS i;

INSERT INTO events (project_id, event_time, message_id, type, event_name, distinct_id, person_id, session_id, bot,
                    received_at, payload)
SELECT project_id, event_time, message_id, 'track', event_name, person_id, person_id, null, false, event_time,
       jsonb_build_object('event', event_name, 'userId', person_id, 'timestamp', event_time,
                          'context', jsonb_build_object('page', jsonb_build_object('path', path)),
                          'enrichment', jsonb_build_object('country', country, 'browser', browser))
  FROM day_events;

INSERT INTO rollup_event_minute (project_id, event_name, minute, events, persons, bot_events)
SELECT project_id, event_name, date_trunc('minute', event_time), count(*), hll_add_agg(hll_hash_text(person_id), 14), 0
  FROM day_events GROUP BY 1, 2, 3;

INSERT INTO rollup_dimension_minute (project_id, event_name, dimension, value, minute, events, persons)
SELECT project_id, event_name, d.dimension, d.value, date_trunc('minute', event_time), count(*),
       hll_add_agg(hll_hash_text(person_id), 14)
  FROM day_events
 CROSS JOIN LATERAL (VALUES ('country', country), ('browser', browser), ('path', path)) AS d(dimension, value)
 GROUP BY 1, 2, 3, 4, 5;

INSERT INTO rollup_event_hour (project_id, event_name, hour, events, persons, bot_events)
SELECT project_id, event_name, date_trunc('hour', minute, 'UTC'), sum(events), hll_union_agg(persons), 0
  FROM rollup_event_minute
 WHERE project_id = :'project' AND minute >= :'day'::timestamptz AND minute < :'day'::timestamptz + interval '1 day'
 GROUP BY 1, 2, 3;

INSERT INTO rollup_dimension_hour (project_id, event_name, dimension, value, hour, events, persons)
SELECT project_id, event_name, dimension, value, date_trunc('hour', minute, 'UTC'), sum(events), hll_union_agg(persons)
  FROM rollup_dimension_minute
 WHERE project_id = :'project' AND minute >= :'day'::timestamptz AND minute < :'day'::timestamptz + interval '1 day'
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO rollup_event_day (project_id, event_name, day, events, persons, bot_events)
SELECT project_id, event_name, date_trunc('day', hour, 'UTC'), sum(events), hll_union_agg(persons), 0
  FROM rollup_event_hour
 WHERE project_id = :'project' AND hour >= :'day'::timestamptz AND hour < :'day'::timestamptz + interval '1 day'
 GROUP BY 1, 2, 3;
INSERT INTO rollup_dimension_day (project_id, event_name, dimension, value, day, events, persons)
SELECT project_id, event_name, dimension, value, date_trunc('day', hour, 'UTC'), sum(events), hll_union_agg(persons)
  FROM rollup_dimension_hour
 WHERE project_id = :'project' AND hour >= :'day'::timestamptz AND hour < :'day'::timestamptz + interval '1 day'
 GROUP BY 1, 2, 3, 4, 5;
COMMIT;
