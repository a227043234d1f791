package dev.lattice.routing.bgp.rib;

import dev.lattice.routing.bgp.wire.Prefix;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A map from prefix to value that costs about 12 bytes per IPv4 entry plus slack: IPv4 prefixes are
 * packed into long keys of an open-addressing table (linear probing, backward-shift deletion), so
 * no object is allocated per prefix. IPv6 prefixes use a plain hash map.
 */
public final class PrefixTable<V> {
    private static final long FREE = -1L; // never a valid key: its length byte would be 255

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;
    private final Map<Prefix, V> v6 = new HashMap<>();

    public PrefixTable() {
        this(16);
    }

    public PrefixTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) (expected / 0.7f)) - 1) << 1;
        keys = new long[cap];
        java.util.Arrays.fill(keys, FREE);
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int hash(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }

    public int size() {
        return size + v6.size();
    }

    @SuppressWarnings("unchecked")
    public V get(Prefix p) {
        if (p.isV6()) {
            return v6.get(p);
        }
        long k = p.v4Key();
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == k) {
                return (V) values[i];
            }
            if (c == FREE) {
                return null;
            }
        }
    }

    /** Sets the value (null removes); returns the previous one. */
    @SuppressWarnings("unchecked")
    public V put(Prefix p, V v) {
        if (v == null) {
            return remove(p);
        }
        if (p.isV6()) {
            return v6.put(p, v);
        }
        long k = p.v4Key();
        int i = hash(k) & mask;
        for (; ; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == k) {
                V old = (V) values[i];
                values[i] = v;
                return old;
            }
            if (c == FREE) {
                break;
            }
        }
        keys[i] = k;
        values[i] = v;
        if (++size > (mask + 1) * 0.7f) {
            grow();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public V remove(Prefix p) {
        if (p.isV6()) {
            return v6.remove(p);
        }
        long k = p.v4Key();
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == FREE) {
                return null;
            }
            if (c == k) {
                V old = (V) values[i];
                deleteAt(i);
                size--;
                return old;
            }
        }
    }

    private void deleteAt(int i) {
        int gap = i;
        for (int j = (i + 1) & mask; keys[j] != FREE; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            // move j into the gap if its home is not cyclically in (gap, j]
            boolean between = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
            if (!between) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = FREE;
        values[gap] = null;
    }

    private void grow() {
        long[] ok = keys;
        Object[] ov = values;
        int cap = ok.length * 2;
        keys = new long[cap];
        java.util.Arrays.fill(keys, FREE);
        values = new Object[cap];
        mask = cap - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] != FREE) {
                int i = hash(ok[j]) & mask;
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = ok[j];
                values[i] = ov[j];
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Prefix, V> action) {
        long[] k = keys;
        Object[] v = values;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != FREE) {
                action.accept(Prefix.fromV4Key(k[i]), (V) v[i]);
            }
        }
        v6.forEach(action);
    }

    public void clear() {
        java.util.Arrays.fill(keys, FREE);
        java.util.Arrays.fill(values, null);
        size = 0;
        v6.clear();
    }
}
