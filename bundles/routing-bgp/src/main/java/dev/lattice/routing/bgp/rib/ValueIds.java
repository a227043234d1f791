package dev.lattice.routing.bgp.rib;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Small reference-counted ids for the distinct values of one {@link PrefixTable}, by identity. A
 * table slot holds an id; the id's count is the number of slots holding it, and the id is reused
 * once that drops to zero. Consecutive stores of the same value (every prefix of one UPDATE shares
 * one path) find it in a one-entry cache without a map lookup.
 */
final class ValueIds {
    private Object[] objects = new Object[16];
    private int[] counts = new int[16];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int next;
    private final Map<Object, Integer> index = new IdentityHashMap<>();
    private Object last;
    private int lastId;

    /** The id of {@code v} with one more reference, allocated if {@code v} has none yet. */
    int retain(Object v) {
        if (v == last) {
            counts[lastId]++;
            return lastId;
        }
        Integer known = index.get(v);
        int id;
        if (known != null) {
            id = known;
        } else {
            id = freeCount > 0 ? freeIds[--freeCount] : next++;
            if (id == objects.length) {
                objects = Arrays.copyOf(objects, id * 2);
                counts = Arrays.copyOf(counts, id * 2);
            }
            objects[id] = v;
            index.put(v, id);
        }
        counts[id]++;
        last = v;
        lastId = id;
        return id;
    }

    /** Drops one reference to {@code id}; returns its value. */
    Object release(int id) {
        Object v = objects[id];
        if (--counts[id] == 0) {
            index.remove(v);
            objects[id] = null;
            if (freeCount == freeIds.length) {
                freeIds = Arrays.copyOf(freeIds, freeCount * 2);
            }
            freeIds[freeCount++] = id;
            if (last == v) {
                last = null;
            }
        }
        return v;
    }

    Object value(int id) {
        return objects[id];
    }

    void clear() {
        Arrays.fill(objects, 0, next, null);
        Arrays.fill(counts, 0, next, 0);
        index.clear();
        next = 0;
        freeCount = 0;
        last = null;
    }
}
