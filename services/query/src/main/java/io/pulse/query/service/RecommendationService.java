package io.pulse.query.service;

import io.pulse.query.storage.HotDataReader;
import io.pulse.query.storage.HotDataReader.Scored;
import io.pulse.shared.HotKeys;
import io.pulse.shared.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Items often seen together, from the aggregator's co-occurrence counts: for an item, its own counts; for a
 * person, the sum over their recent items, without items they saw. Trending items (this hour and the last)
 * stand in when there is no signal.
 */
@ApplicationScoped
public class RecommendationService {

    /** How many of a person's recent items feed their recommendations. */
    static final int RECENT_ITEMS_USED = 20;

    private final HotDataReader hot;

    public RecommendationService(HotDataReader hot) {
        this.hot = hot;
    }

    public record Item(String item, double score) {
    }

    /** @param source {@code co-occurrence} or {@code trending} */
    public record Recommendations(String item, String person, String source, List<Item> items) {
    }

    public Uni<Recommendations> recommend(String projectId, String itemText, String personText, int limit) {
        String item = Params.optionalName("item", itemText);
        String person = Params.optionalName("person", personText);
        if ((item == null) == (person == null)) {
            throw new ApiException(400, "missing_parameter", item == null ? "item" : "person",
                    "give either item or person");
        }
        if (item != null) {
            return hot.top(List.of(HotKeys.coOccurrence(projectId, item)), limit).chain(lists -> {
                List<Item> items = sum(lists, Set.of(item), limit);
                return items.isEmpty() ? trending(projectId, item, null, Set.of(item), limit)
                        : Uni.createFrom().item(new Recommendations(item, null, "co-occurrence", items));
            });
        }
        return hot.top(List.of(HotKeys.recent(projectId, person)), RECENT_ITEMS_USED).chain(recent -> {
            Set<String> seen = new HashSet<>();
            recent.get(0).forEach(s -> seen.add(s.member()));
            List<String> keys = seen.stream().map(i -> HotKeys.coOccurrence(projectId, i)).toList();
            // Ask for more than needed: the person's own items are dropped afterwards.
            return hot.top(keys, limit + seen.size()).chain(lists -> {
                List<Item> items = sum(lists, seen, limit);
                return items.isEmpty() ? trending(projectId, null, person, seen, limit)
                        : Uni.createFrom().item(new Recommendations(null, person, "co-occurrence", items));
            });
        });
    }

    private Uni<Recommendations> trending(String projectId, String item, String person, Set<String> exclude,
            int limit) {
        long hour = System.currentTimeMillis() / 3_600_000;
        List<String> keys = List.of(HotKeys.trending(projectId, hour), HotKeys.trending(projectId, hour - 1));
        return hot.top(keys, limit + exclude.size())
                .map(lists -> new Recommendations(item, person, "trending", sum(lists, exclude, limit)));
    }

    /** Scores summed per member over the lists, highest first (ties by name), excluded members dropped. */
    static List<Item> sum(List<List<Scored>> lists, Set<String> exclude, int limit) {
        Map<String, Double> scores = new LinkedHashMap<>();
        lists.forEach(list -> list.forEach(s -> scores.merge(s.member(), s.score(), Double::sum)));
        exclude.forEach(scores::remove);
        List<Item> out = new ArrayList<>();
        scores.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                        : Double.compare(b.getValue(), a.getValue()))
                .limit(limit)
                .forEach(e -> out.add(new Item(e.getKey(), e.getValue())));
        return out;
    }
}
