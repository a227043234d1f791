package dev.lattice.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.cluster.api.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrieMapTest {

    /** A key with a chosen hash, to force collisions and deep paths. */
    record Key(int hash, int id) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void emptyMap() {
        TrieMap<String, String> m = TrieMap.empty();
        assertTrue(m.isEmpty());
        assertNull(m.get("a"));
        assertNull(m.get(null));
        assertFalse(m.entrySet().iterator().hasNext());
        assertEquals(Map.of(), m);
        assertEquals(Map.of().hashCode(), m.hashCode());
    }

    @Test
    void randomEditsMatchHashMapAndFrozenVersionsNeverChange() {
        Random rnd = new Random(42);
        TrieMap.Editor<Key, Integer> ed = TrieMap.<Key, Integer>empty().edit();
        Map<Key, Integer> model = new HashMap<>();
        List<TrieMap<Key, Integer>> versions = new ArrayList<>();
        List<Map<Key, Integer>> expected = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            for (int i = 0; i < 300; i++) {
                // hashes from a small range (collisions), a mid range and the full int range
                int kind = rnd.nextInt(3);
                int hash = kind == 0 ? rnd.nextInt(8) : kind == 1 ? rnd.nextInt(5000) << 20 : rnd.nextInt();
                Key k = new Key(hash, rnd.nextInt(4));
                if (rnd.nextInt(3) == 0 && !model.isEmpty()) {
                    Key victim = rnd.nextBoolean() ? k : model.keySet().iterator().next();
                    assertEquals(model.remove(victim), ed.remove(victim));
                } else {
                    int v = rnd.nextInt(1000);
                    assertEquals(model.put(k, v), ed.put(k, v));
                }
                assertEquals(model.size(), ed.size());
            }
            versions.add(ed.freeze());
            expected.add(new HashMap<>(model));
        }
        for (int i = 0; i < versions.size(); i++) {
            TrieMap<Key, Integer> v = versions.get(i);
            Map<Key, Integer> e = expected.get(i);
            assertEquals(e.size(), v.size());
            assertEquals(e, v);
            assertEquals(v, e);
            assertEquals(e.hashCode(), v.hashCode());
            for (Map.Entry<Key, Integer> en : e.entrySet()) {
                assertEquals(en.getValue(), v.get(en.getKey()));
                assertTrue(v.containsKey(en.getKey()));
            }
            Set<Key> iterated = new HashSet<>();
            v.forEach((k, val) -> {
                assertTrue(iterated.add(k));
                assertEquals(e.get(k), val);
            });
            assertEquals(e.keySet(), iterated);
        }
    }

    @Test
    void removeEverythingGivesAnEmptyMap() {
        TrieMap.Editor<Key, String> ed = TrieMap.<Key, String>empty().edit();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Key k = new Key(i % 7 == 0 ? 12345 : i * 0x9E3779B9, i);
            keys.add(k);
            ed.put(k, "v" + i);
        }
        TrieMap<Key, String> full = ed.freeze();
        for (Key k : keys) {
            assertEquals("v" + k.id(), ed.remove(k));
            assertNull(ed.remove(k));
        }
        assertEquals(0, ed.size());
        assertTrue(ed.freeze().isEmpty());
        assertEquals(2000, full.size());
        assertEquals("v7", full.get(keys.get(7)));
    }

    @Test
    void editorsFromOneVersionAreIndependent() {
        TrieMap<ObjectKey, String> base = TrieMap.copyOf(Map.of(ObjectKey.of("ns", "a"), "1", ObjectKey.of("ns", "b"), "2"));
        TrieMap.Editor<ObjectKey, String> e1 = base.edit();
        TrieMap.Editor<ObjectKey, String> e2 = base.edit();
        e1.put(ObjectKey.of("ns", "a"), "x");
        e2.remove(ObjectKey.of("ns", "a"));
        assertEquals(Map.of(ObjectKey.of("ns", "a"), "1", ObjectKey.of("ns", "b"), "2"), base);
        assertEquals(Map.of(ObjectKey.of("ns", "a"), "x", ObjectKey.of("ns", "b"), "2"), e1.freeze());
        assertEquals(Map.of(ObjectKey.of("ns", "b"), "2"), e2.freeze());
    }

    @Test
    void isReadOnly() {
        TrieMap<String, String> m = TrieMap.copyOf(Map.of("a", "1"));
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> m.remove("a"));
        assertThrows(UnsupportedOperationException.class, m::clear);
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue("z"));
        assertThrows(NullPointerException.class, () -> m.edit().put("c", null));
        assertEquals(Map.of("a", "1"), m);
    }
}
