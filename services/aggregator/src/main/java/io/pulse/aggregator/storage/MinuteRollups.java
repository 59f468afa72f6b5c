package io.pulse.aggregator.storage;

import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The minute groups of a set of new events, per (project, event) and per (project, event, dimension, value), with
 * the count and the distinct persons' hashes of each. Grouping here instead of in SQL took the batch statement's
 * costliest step off PostgreSQL: spreading each event's dimensions out of JSON and sorting them (docs/BENCHMARKS.md).
 * Bots are counted apart in the event groups and left out of the dimension groups, as before.
 */
final class MinuteRollups {

    record EventMinute(String projectId, String eventName, OffsetDateTime minute) {
    }

    record DimensionMinute(String projectId, String eventName, String dimension, String value, OffsetDateTime minute) {
    }

    static final class Group {
        long events;
        long botEvents;
        final Set<Long> persons = new HashSet<>();
    }

    final Map<EventMinute, Group> events = new LinkedHashMap<>();
    final Map<DimensionMinute, Group> dimensions = new LinkedHashMap<>();

    static MinuteRollups of(List<EventRow> rows) {
        MinuteRollups rollups = new MinuteRollups();
        for (EventRow row : rows) {
            OffsetDateTime minute = row.eventTime().truncatedTo(ChronoUnit.MINUTES);
            Group event = rollups.events.computeIfAbsent(
                    new EventMinute(row.projectId(), row.eventName(), minute), k -> new Group());
            if (row.bot()) {
                event.botEvents++;
                continue;
            }
            event.events++;
            event.persons.add(row.personHash());
            row.dimensions().forEach((dimension, value) -> {
                Group group = rollups.dimensions.computeIfAbsent(
                        new DimensionMinute(row.projectId(), row.eventName(), dimension, value, minute),
                        k -> new Group());
                group.events++;
                group.persons.add(row.personHash());
            });
        }
        return rollups;
    }

    /** The parameters of {@link EventBatchWriter#ROLL_UP}: groups as parallel arrays, persons as 1-based slices. */
    Tuple toTuple() {
        List<Long> hashes = new ArrayList<>();
        int e = events.size();
        String[] eventProjects = new String[e];
        String[] eventNames = new String[e];
        OffsetDateTime[] eventMinutes = new OffsetDateTime[e];
        Long[] eventCounts = new Long[e];
        Long[] botCounts = new Long[e];
        Integer[] eventFrom = new Integer[e];
        Integer[] eventTo = new Integer[e];
        int i = 0;
        for (Map.Entry<EventMinute, Group> entry : events.entrySet()) {
            EventMinute key = entry.getKey();
            Group group = entry.getValue();
            eventProjects[i] = key.projectId();
            eventNames[i] = key.eventName();
            eventMinutes[i] = key.minute();
            eventCounts[i] = group.events;
            botCounts[i] = group.botEvents;
            eventFrom[i] = hashes.size() + 1;
            hashes.addAll(group.persons);
            eventTo[i] = hashes.size();
            i++;
        }
        int d = dimensions.size();
        String[] dimensionProjects = new String[d];
        String[] dimensionEvents = new String[d];
        String[] dimensionNames = new String[d];
        String[] values = new String[d];
        OffsetDateTime[] dimensionMinutes = new OffsetDateTime[d];
        Long[] dimensionCounts = new Long[d];
        Integer[] dimensionFrom = new Integer[d];
        Integer[] dimensionTo = new Integer[d];
        i = 0;
        for (Map.Entry<DimensionMinute, Group> entry : dimensions.entrySet()) {
            DimensionMinute key = entry.getKey();
            Group group = entry.getValue();
            dimensionProjects[i] = key.projectId();
            dimensionEvents[i] = key.eventName();
            dimensionNames[i] = key.dimension();
            values[i] = key.value();
            dimensionMinutes[i] = key.minute();
            dimensionCounts[i] = group.events;
            dimensionFrom[i] = hashes.size() + 1;
            hashes.addAll(group.persons);
            dimensionTo[i] = hashes.size();
            i++;
        }
        return Tuple.tuple()
                .addArrayOfString(eventProjects).addArrayOfString(eventNames).addArrayOfOffsetDateTime(eventMinutes)
                .addArrayOfLong(eventCounts).addArrayOfLong(botCounts)
                .addArrayOfInteger(eventFrom).addArrayOfInteger(eventTo)
                .addArrayOfString(dimensionProjects).addArrayOfString(dimensionEvents)
                .addArrayOfString(dimensionNames).addArrayOfString(values).addArrayOfOffsetDateTime(dimensionMinutes)
                .addArrayOfLong(dimensionCounts).addArrayOfInteger(dimensionFrom).addArrayOfInteger(dimensionTo)
                .addArrayOfLong(hashes.toArray(Long[]::new));
    }
}
