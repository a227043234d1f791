package dev.lattice.routing.bgp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The path attributes of a route, MP_REACH/MP_UNREACH excluded (those carry NLRI, which is per
 * prefix). Immutable; {@link #intern()} returns the one shared instance of equal attributes so that
 * a million prefixes with a few thousand distinct attribute sets hold a few thousand objects.
 */
public final class PathAttributes {
    public static final int ORIGIN = 1;
    public static final int AS_PATH = 2;
    public static final int NEXT_HOP = 3;
    public static final int MED = 4;
    public static final int LOCAL_PREF = 5;
    public static final int ATOMIC_AGGREGATE = 6;
    public static final int AGGREGATOR = 7;
    public static final int COMMUNITIES = 8;
    public static final int ORIGINATOR_ID = 9;
    public static final int CLUSTER_LIST = 10;
    public static final int MP_REACH = 14;
    public static final int MP_UNREACH = 15;
    public static final int EXTENDED_COMMUNITIES = 16;
    public static final int AS4_PATH = 17;
    public static final int AS4_AGGREGATOR = 18;
    public static final int LARGE_COMMUNITY = 32;

    public static final int ORIGIN_IGP = 0;
    public static final int ORIGIN_EGP = 1;
    public static final int ORIGIN_INCOMPLETE = 2;

    private static final Map<PathAttributes, java.lang.ref.WeakReference<PathAttributes>> INTERNED =
            new WeakHashMap<>();

    private final long present;   // bit n set: attribute type n (< 64) present
    private final long extLen;    // bit n set: attribute type n was/will be encoded with extended length
    private final long partial;   // bit n set: partial flag seen
    private final int origin;
    private final AsPath asPath;
    private final int nextHop;
    private final long med;
    private final long localPref;
    private final long aggregatorAs;
    private final int aggregatorAddress;
    private final int[] communities;
    private final int[] largeCommunities;
    private final int originatorId;
    private final int[] clusterList;
    private final RawAttribute[] others;
    private final int hash;

    private PathAttributes(Builder b) {
        present = b.present;
        extLen = b.extLen;
        partial = b.partial;
        origin = b.origin;
        asPath = b.asPath;
        nextHop = b.nextHop;
        med = b.med;
        localPref = b.localPref;
        aggregatorAs = b.aggregatorAs;
        aggregatorAddress = b.aggregatorAddress;
        communities = b.communities;
        largeCommunities = b.largeCommunities;
        originatorId = b.originatorId;
        clusterList = b.clusterList;
        others = b.others.isEmpty() ? NO_RAW : b.others.toArray(NO_RAW);
        int h = Long.hashCode(present) * 31 + Long.hashCode(extLen);
        h = h * 31 + origin;
        h = h * 31 + asPath.hashCode();
        h = h * 31 + nextHop;
        h = h * 31 + Long.hashCode(med);
        h = h * 31 + Long.hashCode(localPref);
        h = h * 31 + Long.hashCode(aggregatorAs) + aggregatorAddress;
        h = h * 31 + Arrays.hashCode(communities);
        h = h * 31 + Arrays.hashCode(largeCommunities);
        h = h * 31 + originatorId;
        h = h * 31 + Arrays.hashCode(clusterList);
        h = h * 31 + Arrays.hashCode(others);
        h = h * 31 + Long.hashCode(partial);
        hash = h;
    }

    private static final RawAttribute[] NO_RAW = new RawAttribute[0];
    private static final int[] NONE = new int[0];
    /** No attributes at all (withdrawals, End-of-RIB). */
    public static final PathAttributes EMPTY = new Builder().build();

    /** The shared instance equal to this one. */
    public PathAttributes intern() {
        synchronized (INTERNED) {
            java.lang.ref.WeakReference<PathAttributes> ref = INTERNED.get(this);
            PathAttributes p = ref == null ? null : ref.get();
            if (p != null) {
                return p;
            }
            INTERNED.put(this, new java.lang.ref.WeakReference<>(this));
            return this;
        }
    }

    public boolean has(int type) {
        return type < 64 && (present & (1L << type)) != 0;
    }

    boolean extendedLength(int type) {
        return type < 64 && (extLen & (1L << type)) != 0;
    }

    boolean partial(int type) {
        return type < 64 && (partial & (1L << type)) != 0;
    }

    public int origin() {
        return origin;
    }

    public String originName() {
        return switch (origin) {
            case ORIGIN_IGP -> "igp";
            case ORIGIN_EGP -> "egp";
            default -> "incomplete";
        };
    }

    public AsPath asPath() {
        return asPath;
    }

    /** NEXT_HOP (IPv4) as an int; meaningful when {@code has(NEXT_HOP)}. */
    public int nextHop() {
        return nextHop;
    }

    public long med() {
        return med;
    }

    public long localPref() {
        return localPref;
    }

    public long aggregatorAs() {
        return aggregatorAs;
    }

    public int aggregatorAddress() {
        return aggregatorAddress;
    }

    /** Communities, each a 32-bit value (AS in the high half). */
    public int[] communities() {
        return communities.clone();
    }

    public boolean hasCommunity(int community) {
        for (int c : communities) {
            if (c == community) {
                return true;
            }
        }
        return false;
    }

    /** Large communities as consecutive triples. */
    public int[] largeCommunities() {
        return largeCommunities.clone();
    }

    public int originatorId() {
        return originatorId;
    }

    public int[] clusterList() {
        return clusterList.clone();
    }

    public List<RawAttribute> others() {
        return List.of(others);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.present = present;
        b.extLen = extLen;
        b.partial = partial;
        b.origin = origin;
        b.asPath = asPath;
        b.nextHop = nextHop;
        b.med = med;
        b.localPref = localPref;
        b.aggregatorAs = aggregatorAs;
        b.aggregatorAddress = aggregatorAddress;
        b.communities = communities;
        b.largeCommunities = largeCommunities;
        b.originatorId = originatorId;
        b.clusterList = clusterList;
        b.others.addAll(Arrays.asList(others));
        return b;
    }

    /** Builder; every setter marks the attribute present. */
    public static final class Builder {
        long present;
        long extLen;
        long partial;
        int origin;
        AsPath asPath = AsPath.EMPTY;
        int nextHop;
        long med;
        long localPref;
        long aggregatorAs;
        int aggregatorAddress;
        int[] communities = NONE;
        int[] largeCommunities = NONE;
        int originatorId;
        int[] clusterList = NONE;
        final List<RawAttribute> others = new ArrayList<>();

        private Builder mark(int type) {
            present |= 1L << type;
            return this;
        }

        public Builder origin(int v) {
            origin = v;
            return mark(ORIGIN);
        }

        public Builder asPath(AsPath p) {
            asPath = p;
            return mark(AS_PATH);
        }

        public Builder nextHop(int v4) {
            nextHop = v4;
            return mark(NEXT_HOP);
        }

        public Builder med(long v) {
            med = v;
            return mark(MED);
        }

        public Builder localPref(long v) {
            localPref = v;
            return mark(LOCAL_PREF);
        }

        public Builder atomicAggregate() {
            return mark(ATOMIC_AGGREGATE);
        }

        public Builder aggregator(long as, int address) {
            aggregatorAs = as;
            aggregatorAddress = address;
            return mark(AGGREGATOR);
        }

        public Builder communities(int[] v) {
            communities = v.clone();
            return v.length == 0 ? remove(COMMUNITIES) : mark(COMMUNITIES);
        }

        public Builder largeCommunities(int[] triples) {
            if (triples.length % 3 != 0) {
                throw new IllegalArgumentException("large communities come in triples");
            }
            largeCommunities = triples.clone();
            return triples.length == 0 ? remove(LARGE_COMMUNITY) : mark(LARGE_COMMUNITY);
        }

        public Builder originatorId(int v) {
            originatorId = v;
            return mark(ORIGINATOR_ID);
        }

        public Builder clusterList(int[] v) {
            clusterList = v.clone();
            return v.length == 0 ? remove(CLUSTER_LIST) : mark(CLUSTER_LIST);
        }

        public Builder other(RawAttribute a) {
            others.removeIf(o -> o.type() == a.type());
            others.add(a);
            others.sort((x, y) -> Integer.compare(x.type(), y.type()));
            return this;
        }

        public Builder removeOthersIf(java.util.function.Predicate<RawAttribute> p) {
            others.removeIf(p);
            return this;
        }

        public Builder remove(int type) {
            present &= ~(1L << type);
            extLen &= ~(1L << type);
            partial &= ~(1L << type);
            switch (type) {
                case AS_PATH -> asPath = AsPath.EMPTY;
                case COMMUNITIES -> communities = NONE;
                case LARGE_COMMUNITY -> largeCommunities = NONE;
                case CLUSTER_LIST -> clusterList = NONE;
                case ORIGIN -> origin = 0;
                case NEXT_HOP -> nextHop = 0;
                case MED -> med = 0;
                case LOCAL_PREF -> localPref = 0;
                case AGGREGATOR -> {
                    aggregatorAs = 0;
                    aggregatorAddress = 0;
                }
                case ORIGINATOR_ID -> originatorId = 0;
                default -> others.removeIf(o -> o.type() == type);
            }
            return this;
        }

        Builder flags(int type, boolean ext, boolean part) {
            if (ext) {
                extLen |= 1L << type;
            }
            if (part) {
                partial |= 1L << type;
            }
            return this;
        }

        /** Forgets how attributes were encoded (extended length, partial): for re-advertising. */
        public Builder canonicalFlags() {
            extLen = 0;
            return this;
        }

        public boolean has(int type) {
            return (present & (1L << type)) != 0;
        }

        public AsPath asPath() {
            return asPath;
        }

        public int[] communities() {
            return communities.clone();
        }

        public PathAttributes build() {
            return new PathAttributes(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PathAttributes p) || p.hash != hash) {
            return false;
        }
        return p.present == present && p.extLen == extLen && p.partial == partial && p.origin == origin
                && p.asPath.equals(asPath) && p.nextHop == nextHop && p.med == med
                && p.localPref == localPref && p.aggregatorAs == aggregatorAs
                && p.aggregatorAddress == aggregatorAddress && Arrays.equals(p.communities, communities)
                && Arrays.equals(p.largeCommunities, largeCommunities) && p.originatorId == originatorId
                && Arrays.equals(p.clusterList, clusterList) && Arrays.equals(p.others, others);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    public static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    public static String community(int c) {
        return (c >>> 16) + ":" + (c & 0xffff);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        if (has(ORIGIN)) {
            sb.append("origin=").append(originName());
        }
        if (has(AS_PATH)) {
            sb.append(" as-path=[").append(asPath).append(']');
        }
        if (has(NEXT_HOP)) {
            sb.append(" next-hop=").append(ipv4(nextHop));
        }
        if (has(MED)) {
            sb.append(" med=").append(med);
        }
        if (has(LOCAL_PREF)) {
            sb.append(" local-pref=").append(localPref);
        }
        if (has(COMMUNITIES)) {
            sb.append(" communities=");
            for (int c : communities) {
                sb.append(community(c)).append(',');
            }
        }
        if (has(LARGE_COMMUNITY)) {
            sb.append(" large=");
            for (int i = 0; i < largeCommunities.length; i += 3) {
                sb.append(Integer.toUnsignedString(largeCommunities[i])).append(':')
                        .append(Integer.toUnsignedString(largeCommunities[i + 1])).append(':')
                        .append(Integer.toUnsignedString(largeCommunities[i + 2])).append(',');
            }
        }
        return sb.append('}').toString();
    }
}
