package dev.lattice.cluster.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable hash map with structural sharing (a hash array mapped trie, 32-way, 5 bits of
 * the key's hash per level): a new version after k changes shares everything but the O(k log32 n)
 * nodes on the changed paths, so publishing a snapshot of 10,000 pods after 200 updates copies a
 * few hundred small arrays, not the whole map.
 *
 * <p>Changes go through an {@link Editor}: it changes nodes it created itself in place and copies
 * a node the first time it touches one that belongs to an earlier version. {@link Editor#freeze()}
 * returns the current version and gives the editor a new identity, so that a frozen map is never
 * changed again. Keys and values must not be null; keys need consistent {@code hashCode} and
 * {@code equals}. Frozen maps are safe to share between threads once safely published; an editor
 * belongs to one thread at a time.
 */
final class TrieMap<K, V> extends AbstractMap<K, V> {
    private static final TrieMap<?, ?> EMPTY = new TrieMap<>(null, 0);

    private final Node root;
    private final int size;
    private Set<Map.Entry<K, V>> entrySet;

    private TrieMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> TrieMap<K, V> empty() {
        return (TrieMap<K, V>) EMPTY;
    }

    /** A map holding {@code m}'s entries. */
    static <K, V> TrieMap<K, V> copyOf(Map<? extends K, ? extends V> m) {
        Editor<K, V> e = TrieMap.<K, V>empty().edit();
        for (Map.Entry<? extends K, ? extends V> en : m.entrySet()) {
            e.put(en.getKey(), en.getValue());
        }
        return e.freeze();
    }

    /** An editor starting from this map (which it never changes). */
    Editor<K, V> edit() {
        return new Editor<>(root, size);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return root == null || key == null ? null : (V) root.find(key, key.hashCode(), 0);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (root != null) {
            root.forEach((BiConsumer<Object, Object>) action);
        }
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> s = entrySet;
        if (s == null) {
            s = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<K, V>> iterator() {
                    return new Iter<>(root);
                }

                @Override
                public int size() {
                    return size;
                }

                @Override
                public boolean contains(Object o) {
                    if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null) {
                        return false;
                    }
                    V v = TrieMap.this.get(e.getKey());
                    return v != null && v.equals(e.getValue());
                }
            };
            entrySet = s;
        }
        return s;
    }

    /** A mutable view that produces new versions; see the class comment. */
    static final class Editor<K, V> {
        private Object owner = new Object();
        private Node root;
        private int size;
        private final Object[] box = new Object[1];

        private Editor(Node root, int size) {
            this.root = root;
            this.size = size;
        }

        int size() {
            return size;
        }

        @SuppressWarnings("unchecked")
        V get(Object key) {
            return root == null || key == null ? null : (V) root.find(key, key.hashCode(), 0);
        }

        /** Sets {@code key} to {@code value}; returns the previous value or null. */
        @SuppressWarnings("unchecked")
        V put(K key, V value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            int h = key.hashCode();
            box[0] = null;
            if (root == null) {
                root = BitmapNode.single(owner, h, 0, key, value);
            } else {
                root = root.put(owner, 0, h, key, value, box);
            }
            Object old = box[0];
            box[0] = null;
            if (old == null) {
                size++;
            }
            return (V) old;
        }

        /** Removes {@code key}; returns its value or null. */
        @SuppressWarnings("unchecked")
        V remove(Object key) {
            if (root == null || key == null) {
                return null;
            }
            box[0] = null;
            root = root.remove(owner, 0, key.hashCode(), key, box);
            Object old = box[0];
            box[0] = null;
            if (old != null) {
                size--;
            }
            return (V) old;
        }

        /** Visits every entry (do not change the editor meanwhile). */
        @SuppressWarnings("unchecked")
        void forEach(BiConsumer<? super K, ? super V> action) {
            if (root != null) {
                root.forEach((BiConsumer<Object, Object>) action);
            }
        }

        void clear() {
            root = null;
            size = 0;
        }

        /** The current contents as an immutable map; later edits do not change it. */
        TrieMap<K, V> freeze() {
            owner = new Object();
            return root == null ? empty() : new TrieMap<>(root, size);
        }
    }

    // ---- nodes -----------------------------------------------------------------------------

    private abstract static class Node {
        Object owner;

        abstract Object find(Object key, int hash, int shift);

        /** Returns the node to use instead of this one (this one itself when changed in place). */
        abstract Node put(Object owner, int shift, int hash, Object key, Object value, Object[] oldOut);

        /** Returns the node to use instead of this one, or null when it became empty. */
        abstract Node remove(Object owner, int shift, int hash, Object key, Object[] oldOut);

        abstract void forEach(BiConsumer<Object, Object> action);
    }

    /**
     * Up to 32 slots, present ones compacted in {@code array} as pairs: key and value, or null and
     * a child node.
     */
    private static final class BitmapNode extends Node {
        int bitmap;
        Object[] array;

        BitmapNode(Object owner, int bitmap, Object[] array) {
            this.owner = owner;
            this.bitmap = bitmap;
            this.array = array;
        }

        static BitmapNode single(Object owner, int hash, int shift, Object key, Object value) {
            return new BitmapNode(owner, bit(hash, shift), new Object[]{key, value});
        }

        private static int bit(int hash, int shift) {
            return 1 << ((hash >>> shift) & 31);
        }

        private int index(int bit) {
            return 2 * Integer.bitCount(bitmap & (bit - 1));
        }

        private BitmapNode editable(Object editor) {
            return owner == editor ? this : new BitmapNode(editor, bitmap, array.clone());
        }

        @Override
        Object find(Object key, int hash, int shift) {
            int bit = bit(hash, shift);
            if ((bitmap & bit) == 0) {
                return null;
            }
            int i = index(bit);
            Object k = array[i];
            Object v = array[i + 1];
            if (k == null) {
                return ((Node) v).find(key, hash, shift + 5);
            }
            return key.equals(k) ? v : null;
        }

        @Override
        Node put(Object editor, int shift, int hash, Object key, Object value, Object[] oldOut) {
            int bit = bit(hash, shift);
            int i = index(bit);
            if ((bitmap & bit) != 0) {
                Object k = array[i];
                Object v = array[i + 1];
                if (k == null) {
                    Node child = (Node) v;
                    Node n = child.put(editor, shift + 5, hash, key, value, oldOut);
                    if (n == child) {
                        return this;
                    }
                    BitmapNode e = editable(editor);
                    e.array[i + 1] = n;
                    return e;
                }
                if (key.equals(k)) {
                    oldOut[0] = v;
                    if (v == value) {
                        return this;
                    }
                    BitmapNode e = editable(editor);
                    e.array[i + 1] = value;
                    return e;
                }
                Node child = pair(editor, shift + 5, k.hashCode(), k, v, hash, key, value);
                BitmapNode e = editable(editor);
                e.array[i] = null;
                e.array[i + 1] = child;
                return e;
            }
            Object[] a = new Object[array.length + 2];
            System.arraycopy(array, 0, a, 0, i);
            a[i] = key;
            a[i + 1] = value;
            System.arraycopy(array, i, a, i + 2, array.length - i);
            if (owner == editor) {
                bitmap |= bit;
                array = a;
                return this;
            }
            return new BitmapNode(editor, bitmap | bit, a);
        }

        @Override
        Node remove(Object editor, int shift, int hash, Object key, Object[] oldOut) {
            int bit = bit(hash, shift);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int i = index(bit);
            Object k = array[i];
            Object v = array[i + 1];
            if (k == null) {
                Node child = (Node) v;
                Node n = child.remove(editor, shift + 5, hash, key, oldOut);
                if (n == child) {
                    return this;
                }
                if (n != null) {
                    BitmapNode e = editable(editor);
                    e.array[i + 1] = n;
                    return e;
                }
                return without(editor, bit, i);
            }
            if (!key.equals(k)) {
                return this;
            }
            oldOut[0] = v;
            return without(editor, bit, i);
        }

        private Node without(Object editor, int bit, int i) {
            if (bitmap == bit) {
                return null;
            }
            Object[] a = new Object[array.length - 2];
            System.arraycopy(array, 0, a, 0, i);
            System.arraycopy(array, i + 2, a, i, array.length - i - 2);
            if (owner == editor) {
                bitmap &= ~bit;
                array = a;
                return this;
            }
            return new BitmapNode(editor, bitmap & ~bit, a);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            Object[] a = array;
            for (int i = 0; i < a.length; i += 2) {
                if (a[i] == null) {
                    ((Node) a[i + 1]).forEach(action);
                } else {
                    action.accept(a[i], a[i + 1]);
                }
            }
        }
    }

    /** Two entries that share a slot at {@code shift - 5}: a node (or a collision node) holding both. */
    private static Node pair(Object editor, int shift, int h1, Object k1, Object v1, int h2, Object k2, Object v2) {
        if (h1 == h2) {
            return new CollisionNode(editor, h1, new Object[]{k1, v1, k2, v2});
        }
        // the hashes differ, so they part at some level with shift <= 30
        int b1 = 1 << ((h1 >>> shift) & 31);
        int b2 = 1 << ((h2 >>> shift) & 31);
        if (b1 == b2) {
            return new BitmapNode(editor, b1, new Object[]{null, pair(editor, shift + 5, h1, k1, v1, h2, k2, v2)});
        }
        Object[] a = Integer.compareUnsigned(b1, b2) < 0 ? new Object[]{k1, v1, k2, v2} : new Object[]{k2, v2, k1, v1};
        return new BitmapNode(editor, b1 | b2, a);
    }

    /** Entries whose keys have the same full hash. */
    private static final class CollisionNode extends Node {
        final int hash;
        Object[] array;

        CollisionNode(Object owner, int hash, Object[] array) {
            this.owner = owner;
            this.hash = hash;
            this.array = array;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < array.length; i += 2) {
                if (key.equals(array[i])) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        Object find(Object key, int hash, int shift) {
            if (hash != this.hash) {
                return null;
            }
            int i = indexOf(key);
            return i < 0 ? null : array[i + 1];
        }

        @Override
        Node put(Object editor, int shift, int hash, Object key, Object value, Object[] oldOut) {
            if (hash != this.hash) {
                // nest this node under a bitmap node at this level, then add the new entry there
                BitmapNode n = new BitmapNode(editor, 1 << ((this.hash >>> shift) & 31), new Object[]{null, this});
                return n.put(editor, shift, hash, key, value, oldOut);
            }
            int i = indexOf(key);
            if (i >= 0) {
                oldOut[0] = array[i + 1];
                if (array[i + 1] == value) {
                    return this;
                }
                Object[] a = owner == editor ? array : array.clone();
                a[i + 1] = value;
                return owner == editor ? this : new CollisionNode(editor, hash, a);
            }
            Object[] a = new Object[array.length + 2];
            System.arraycopy(array, 0, a, 0, array.length);
            a[array.length] = key;
            a[array.length + 1] = value;
            if (owner == editor) {
                array = a;
                return this;
            }
            return new CollisionNode(editor, hash, a);
        }

        @Override
        Node remove(Object editor, int shift, int hash, Object key, Object[] oldOut) {
            if (hash != this.hash) {
                return this;
            }
            int i = indexOf(key);
            if (i < 0) {
                return this;
            }
            oldOut[0] = array[i + 1];
            if (array.length == 2) {
                return null;
            }
            Object[] a = new Object[array.length - 2];
            System.arraycopy(array, 0, a, 0, i);
            System.arraycopy(array, i + 2, a, i, array.length - i - 2);
            if (owner == editor) {
                array = a;
                return this;
            }
            return new CollisionNode(editor, hash, a);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            Object[] a = array;
            for (int i = 0; i < a.length; i += 2) {
                action.accept(a[i], a[i + 1]);
            }
        }
    }

    /** Depth-first over the trie; entries are immutable. */
    private static final class Iter<K, V> implements Iterator<Map.Entry<K, V>> {
        private final ArrayDeque<Object[]> arrays = new ArrayDeque<>();
        private final ArrayDeque<int[]> positions = new ArrayDeque<>();
        private Map.Entry<K, V> next;

        Iter(Node root) {
            if (root != null) {
                push(root);
                advance();
            }
        }

        private void push(Node n) {
            arrays.push(n instanceof BitmapNode b ? b.array : ((CollisionNode) n).array);
            positions.push(new int[1]);
        }

        @SuppressWarnings("unchecked")
        private void advance() {
            next = null;
            while (!arrays.isEmpty()) {
                Object[] a = arrays.peek();
                int[] pos = positions.peek();
                if (pos[0] >= a.length) {
                    arrays.pop();
                    positions.pop();
                    continue;
                }
                Object k = a[pos[0]];
                Object v = a[pos[0] + 1];
                pos[0] += 2;
                if (k == null) {
                    push((Node) v);
                } else {
                    next = new AbstractMap.SimpleImmutableEntry<>((K) k, (V) v);
                    return;
                }
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Map.Entry<K, V> next() {
            Map.Entry<K, V> e = next;
            if (e == null) {
                throw new NoSuchElementException();
            }
            advance();
            return e;
        }
    }
}
