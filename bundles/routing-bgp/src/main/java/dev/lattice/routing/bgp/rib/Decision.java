package dev.lattice.routing.bgp.rib;

import dev.lattice.routing.bgp.wire.PathAttributes;
import java.util.Comparator;

/**
 * The BGP decision process (RFC 4271 9.1.2.2, RFC 4456 9): a comparator where the better path sorts
 * first. Local routes win over learned ones.
 */
public final class Decision {
    private Decision() {
    }

    /** Steps up to and including eBGP-over-iBGP: paths equal here are equal-cost (ECMP). */
    public static int compareForMultipath(Path a, Path b) {
        if (a.source().isLocal() != b.source().isLocal()) {
            return a.source().isLocal() ? -1 : 1;
        }
        int c = Long.compare(b.localPref(), a.localPref());
        if (c != 0) {
            return c;
        }
        PathAttributes x = a.attributes();
        PathAttributes y = b.attributes();
        c = Integer.compare(x.asPath().decisionLength(), y.asPath().decisionLength());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(x.origin(), y.origin());
        if (c != 0) {
            return c;
        }
        // MED only between routes from the same neighbouring AS; a missing MED is 0
        long na = x.asPath().firstAs();
        long nb = y.asPath().firstAs();
        if (na == nb) {
            c = Long.compare(x.has(PathAttributes.MED) ? x.med() : 0, y.has(PathAttributes.MED) ? y.med() : 0);
            if (c != 0) {
                return c;
            }
        }
        boolean ea = !a.source().ibgp();
        boolean eb = !b.source().ibgp();
        if (ea != eb) {
            return ea ? -1 : 1;
        }
        return 0;
    }

    public static final Comparator<Path> ORDER = (a, b) -> {
        int c = compareForMultipath(a, b);
        if (c != 0) {
            return c;
        }
        // router ID, or ORIGINATOR_ID for reflected routes (RFC 4456 9)
        c = Integer.compareUnsigned(routerId(a), routerId(b));
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.attributes().clusterList().length, b.attributes().clusterList().length);
        if (c != 0) {
            return c;
        }
        return a.source().address().compareTo(b.source().address());
    };

    private static int routerId(Path p) {
        return p.attributes().has(PathAttributes.ORIGINATOR_ID) ? p.attributes().originatorId() : p.source().bgpId();
    }
}
