package dev.lattice.routing.bgp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An AS_PATH: segments of AS numbers (unsigned 32-bit, held in ints), packed into one int array
 * {@code [type, count, as..., type, count, as...]} so that a path is two objects.
 */
public final class AsPath {
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;
    public static final int AS_CONFED_SEQUENCE = 3;
    public static final int AS_CONFED_SET = 4;
    public static final int AS_TRANS = 23456;
    public static final AsPath EMPTY = new AsPath(new int[0]);

    private final int[] data;
    private final int hash;

    AsPath(int[] data) {
        this.data = data;
        this.hash = Arrays.hashCode(data);
    }

    /** A path of one AS_SEQUENCE. */
    public static AsPath sequence(long... asns) {
        if (asns.length == 0) {
            return EMPTY;
        }
        Builder b = new Builder();
        b.segment(AS_SEQUENCE, asns);
        return b.build();
    }

    /** Builds a path segment by segment. */
    public static final class Builder {
        private int[] d = new int[8];
        private int n;

        public Builder segment(int type, long... asns) {
            int[] a = new int[asns.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = (int) asns[i];
            }
            return segmentInts(type, a, 0, a.length);
        }

        Builder segmentInts(int type, int[] asns, int off, int count) {
            if (count == 0) {
                return this;
            }
            // a segment holds at most 255 ASes; split longer ones
            while (count > 255) {
                segmentInts(type, asns, off, 255);
                off += 255;
                count -= 255;
            }
            if (n + 2 + count > d.length) {
                d = Arrays.copyOf(d, Math.max(d.length * 2, n + 2 + count));
            }
            d[n++] = type;
            d[n++] = count;
            System.arraycopy(asns, off, d, n, count);
            n += count;
            return this;
        }

        Builder appendRaw(int[] src, int from) {
            for (int i = from; i < src.length; i += 2 + src[i + 1]) {
                segmentInts(src[i], src, i + 2, src[i + 1]);
            }
            return this;
        }

        public AsPath build() {
            return n == 0 ? EMPTY : new AsPath(Arrays.copyOf(d, n));
        }
    }

    int[] raw() {
        return data;
    }

    public boolean isEmpty() {
        return data.length == 0;
    }

    /** Path length for the decision process: an AS_SET counts one, confederation segments zero. */
    public int decisionLength() {
        int len = 0;
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            int t = data[i];
            if (t == AS_SEQUENCE) {
                len += data[i + 1];
            } else if (t == AS_SET) {
                len += 1;
            }
        }
        return len;
    }

    /** Number of AS numbers in the path, confederation segments excluded (RFC 6793 merge). */
    int countForMerge() {
        return decisionLength();
    }

    /** The first AS of the first AS_SEQUENCE (the neighbour AS), or -1. */
    public long firstAs() {
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            if (data[i] == AS_SEQUENCE && data[i + 1] > 0) {
                return data[i + 2] & 0xffffffffL;
            }
            if (data[i] == AS_SEQUENCE || data[i] == AS_SET) {
                return -1;
            }
        }
        return -1;
    }

    public boolean contains(long as) {
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            for (int j = 0; j < data[i + 1]; j++) {
                if ((data[i + 2 + j] & 0xffffffffL) == as) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean hasConfedSegments() {
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            if (data[i] == AS_CONFED_SEQUENCE || data[i] == AS_CONFED_SET) {
                return true;
            }
        }
        return false;
    }

    public boolean needsAs4() {
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            for (int j = 0; j < data[i + 1]; j++) {
                if ((data[i + 2 + j] & 0xffffffffL) > 0xffff) {
                    return true;
                }
            }
        }
        return false;
    }

    /** This path with {@code as} prepended {@code times} times to the leading AS_SEQUENCE. */
    public AsPath prepend(long as, int times) {
        if (times <= 0) {
            return this;
        }
        int[] add = new int[times];
        Arrays.fill(add, (int) as);
        Builder b = new Builder();
        if (data.length > 0 && data[0] == AS_SEQUENCE && data[1] + times <= 255) {
            int[] merged = new int[times + data[1]];
            System.arraycopy(add, 0, merged, 0, times);
            System.arraycopy(data, 2, merged, times, data[1]);
            b.segmentInts(AS_SEQUENCE, merged, 0, merged.length);
            int rest = 2 + data[1];
            b.appendRaw(data, rest);
        } else {
            b.segmentInts(AS_SEQUENCE, add, 0, times);
            b.appendRaw(data, 0);
        }
        return b.build();
    }

    /** Segments as (type, list of AS numbers). */
    public List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            long[] a = new long[data[i + 1]];
            for (int j = 0; j < a.length; j++) {
                a[j] = data[i + 2 + j] & 0xffffffffL;
            }
            out.add(new Segment(data[i], a));
        }
        return out;
    }

    /** One segment. */
    public record Segment(int type, long[] asns) {
        public String typeName() {
            return switch (type) {
                case AS_SET -> "as-set";
                case AS_SEQUENCE -> "as-sequence";
                case AS_CONFED_SEQUENCE -> "confed-sequence";
                case AS_CONFED_SET -> "confed-set";
                default -> "type-" + type;
            };
        }
    }

    /** Encodes with 4-octet or 2-octet AS numbers (AS_TRANS for those that do not fit). */
    void write(Writer w, boolean as4) {
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            w.u8(data[i]).u8(data[i + 1]);
            for (int j = 0; j < data[i + 1]; j++) {
                long as = data[i + 2 + j] & 0xffffffffL;
                if (as4) {
                    w.u32(as);
                } else {
                    w.u16(as > 0xffff ? AS_TRANS : (int) as);
                }
            }
        }
    }

    int wireSize(boolean as4) {
        int s = 0;
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            s += 2 + data[i + 1] * (as4 ? 4 : 2);
        }
        return s;
    }

    /** Without confederation segments (for AS4_PATH and for leaving a confederation). */
    AsPath withoutConfed() {
        Builder b = new Builder();
        for (int i = 0; i < data.length; i += 2 + data[i + 1]) {
            if (data[i] == AS_SEQUENCE || data[i] == AS_SET) {
                b.segmentInts(data[i], data, i + 2, data[i + 1]);
            }
        }
        return b.build();
    }

    /**
     * RFC 6793 4.2.3: reconstructs the path from a 2-octet AS_PATH and an AS4_PATH. Takes the
     * leading ASes of AS_PATH that AS4_PATH does not cover, then AS4_PATH.
     */
    static AsPath merge(AsPath asPath, AsPath as4Path) {
        int n = asPath.countForMerge();
        int m = as4Path.countForMerge();
        if (m > n) {
            return asPath;
        }
        int keep = n - m;
        Builder b = new Builder();
        int[] d = asPath.data;
        for (int i = 0; i < d.length && keep > 0; i += 2 + d[i + 1]) {
            int t = d[i];
            int c = d[i + 1];
            if (t == AS_CONFED_SEQUENCE || t == AS_CONFED_SET) {
                b.segmentInts(t, d, i + 2, c);
            } else if (t == AS_SET) {
                b.segmentInts(t, d, i + 2, c);
                keep -= 1;
            } else {
                int take = Math.min(c, keep);
                b.segmentInts(t, d, i + 2, take);
                keep -= take;
            }
        }
        b.appendRaw(as4Path.withoutConfed().data, 0);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsPath p && p.hash == hash && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Like {@code 65001 65002 {1 2} (65010)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String open = switch (s.type) {
                case AS_SET -> "{";
                case AS_CONFED_SEQUENCE -> "(";
                case AS_CONFED_SET -> "[";
                default -> "";
            };
            String close = switch (s.type) {
                case AS_SET -> "}";
                case AS_CONFED_SEQUENCE -> ")";
                case AS_CONFED_SET -> "]";
                default -> "";
            };
            sb.append(open);
            for (int j = 0; j < s.asns.length; j++) {
                if (j > 0) {
                    sb.append(' ');
                }
                sb.append(s.asns[j]);
            }
            sb.append(close);
        }
        return sb.toString();
    }
}
