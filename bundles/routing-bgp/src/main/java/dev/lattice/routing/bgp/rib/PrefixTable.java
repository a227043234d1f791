package dev.lattice.routing.bgp.rib;

import dev.lattice.routing.bgp.wire.Prefix;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A map from prefix to value that costs about 12 bytes per IPv4 entry plus slack: IPv4 prefixes are
 * packed into long keys of an open-addressing table (linear probing, backward-shift deletion), so
 * no object is allocated per prefix. IPv6 prefixes use a plain hash map.
 *
 * <p>Two choices make a full table (a million prefixes) fast to fill, also on a cold JVM and with
 * G1:
 * <ul>
 * <li>The slots hold {@code int} ids of values, not references (see {@link ValueIds}): a RIB has
 * few distinct values (paths are shared by every prefix of an UPDATE), and storing references into
 * a multi-megabyte array costs a GC write barrier per store and makes every young collection scan
 * the array's dirty cards.</li>
 * <li>The hash keeps runs of 16 neighbouring prefixes of one length (10.0.0.0/24, 10.0.1.0/24, ...)
 * in neighbouring slots: peers send tables in address order, so consecutive inserts touch the same
 * cache lines instead of one random line each.</li>
 * </ul>
 */
public final class PrefixTable<V> {
    /**
     * An empty slot. Slots hold keys with bit 7 of the length byte set ({@link #MARK}; lengths are
     * at most 32), so a stored key is never 0 and a new array is empty without being filled.
     */
    private static final long FREE = 0L;
    private static final long MARK = 0x80L;
    private static final float LOAD = 0.7f;

    private long[] keys;
    private int[] ids;
    private int size;
    private int mask;
    private final ValueIds values = new ValueIds();
    private final Map<Prefix, V> v6 = new HashMap<>();

    public PrefixTable() {
        this(16);
    }

    public PrefixTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) (expected / LOAD)) - 1) << 1;
        keys = new long[cap];
        ids = new int[cap];
        mask = cap - 1;
    }

    /**
     * Slot of a key: the prefix's network number (its significant bits) split into a block of 16
     * neighbours, whose number and length are mixed, and the position in the block.
     */
    static int hash(long key) {
        int len = (int) (key & 0x3f); // without MARK
        long addr = key >>> 8;
        long network = len == 0 ? 0 : addr >>> (32 - len);
        long block = ((network >>> 4) << 6) | len;
        block ^= block >>> 33;
        block *= 0xff51afd7ed558ccdL;
        block ^= block >>> 33;
        return ((int) block << 4) | (int) (network & 15);
    }

    public int size() {
        return size + v6.size();
    }

    public V get(Prefix p) {
        if (p.isV6()) {
            return v6.get(p);
        }
        return getV4(p.v4Key());
    }

    /** {@link #get} for an IPv4 prefix given as {@link Prefix#v4Key()}. */
    @SuppressWarnings("unchecked")
    public V getV4(long key) {
        long k = key | MARK;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == k) {
                return (V) values.value(ids[i]);
            }
            if (c == FREE) {
                return null;
            }
        }
    }

    /** Sets the value (null removes); returns the previous one. */
    public V put(Prefix p, V v) {
        if (p.isV6()) {
            return v == null ? v6.remove(p) : v6.put(p, v);
        }
        return putV4(p.v4Key(), v);
    }

    /** {@link #put} for an IPv4 prefix given as {@link Prefix#v4Key()}. */
    @SuppressWarnings("unchecked")
    public V putV4(long key, V v) {
        if (v == null) {
            return removeV4(key);
        }
        long k = key | MARK;
        int id = values.retain(v);
        int i = hash(k) & mask;
        for (; ; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == k) {
                int oldId = ids[i];
                ids[i] = id;
                return (V) values.release(oldId);
            }
            if (c == FREE) {
                break;
            }
        }
        keys[i] = k;
        ids[i] = id;
        if (++size > (mask + 1) * LOAD) {
            grow();
        }
        return null;
    }

    public V remove(Prefix p) {
        if (p.isV6()) {
            return v6.remove(p);
        }
        return removeV4(p.v4Key());
    }

    /** {@link #remove} for an IPv4 prefix given as {@link Prefix#v4Key()}. */
    @SuppressWarnings("unchecked")
    public V removeV4(long key) {
        long k = key | MARK;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == FREE) {
                return null;
            }
            if (c == k) {
                int oldId = ids[i];
                deleteAt(i);
                size--;
                return (V) values.release(oldId);
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
                ids[gap] = ids[j];
                gap = j;
            }
        }
        keys[gap] = FREE;
    }

    private void grow() {
        long[] ok = keys;
        int[] oi = ids;
        int cap = ok.length * 2;
        keys = new long[cap];
        ids = new int[cap];
        mask = cap - 1;
        for (int j = 0; j < ok.length; j++) {
            long k = ok[j];
            if (k != FREE) {
                int i = hash(k) & mask;
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                ids[i] = oi[j];
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Prefix, V> action) {
        long[] k = keys;
        int[] id = ids;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != FREE) {
                action.accept(Prefix.fromV4Key(k[i] & ~MARK), (V) values.value(id[i]));
            }
        }
        v6.forEach(action);
    }

    public void clear() {
        java.util.Arrays.fill(keys, FREE);
        size = 0;
        values.clear();
        v6.clear();
    }
}
