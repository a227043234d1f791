package dev.lattice.routing.bgp.wire;

import java.util.Arrays;
import java.util.List;

/** MP_UNREACH_NLRI (RFC 4760); an empty one is the End-of-RIB marker of its family (RFC 4724). */
public record MpUnreach(Family family, List<Prefix> withdrawn, byte[] rawNlri, int flags) {
    public MpUnreach {
        withdrawn = List.copyOf(withdrawn);
        rawNlri = rawNlri == null ? new byte[0] : rawNlri.clone();
    }

    public static MpUnreach of(Family family, List<Prefix> withdrawn) {
        return new MpUnreach(family, withdrawn, null, 0x80);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MpUnreach m && m.family.equals(family) && m.withdrawn.equals(withdrawn)
                && Arrays.equals(m.rawNlri, rawNlri);
    }

    @Override
    public int hashCode() {
        return family.hashCode() * 31 + withdrawn.hashCode();
    }
}
