package dev.lattice.routing.bgp.wire;

import java.util.List;

/**
 * UPDATE. {@code nlri}/{@code withdrawn} are the IPv4 fields of the message body; other families
 * travel in {@code mpReach}/{@code mpUnreach}. When {@code treatAsWithdraw} is set (RFC 7606) the
 * receiver must withdraw every announced prefix instead of installing it.
 */
public record Update(List<Prefix> withdrawn, PathAttributes attributes, List<Prefix> nlri, MpReach mpReach,
                     MpUnreach mpUnreach, List<AttributeError> errors, boolean treatAsWithdraw,
                     boolean canonicalOrder) implements Message {
    public Update {
        // the decoder's IPv4 lists are immutable already; copying them would make a Prefix each
        withdrawn = withdrawn instanceof Ipv4Nlri ? withdrawn : List.copyOf(withdrawn);
        nlri = nlri instanceof Ipv4Nlri ? nlri : List.copyOf(nlri);
        errors = List.copyOf(errors);
        attributes = attributes == null ? PathAttributes.EMPTY : attributes;
    }

    public static Update announce(PathAttributes attrs, List<Prefix> nlri) {
        return new Update(List.of(), attrs, nlri, null, null, List.of(), false, true);
    }

    public static Update withdraw(List<Prefix> prefixes) {
        return new Update(prefixes, PathAttributes.EMPTY, List.of(), null, null, List.of(), false, true);
    }

    public static Update endOfRib(Family f) {
        if (f.equals(Family.IPV4_UNICAST)) {
            return withdraw(List.of());
        }
        return new Update(List.of(), PathAttributes.EMPTY, List.of(), null, MpUnreach.of(f, List.of()),
                List.of(), false, true);
    }

    /** The family this End-of-RIB marker closes, or null if it is not one. */
    public Family endOfRibFamily() {
        if (withdrawn.isEmpty() && nlri.isEmpty() && mpReach == null && !treatAsWithdraw) {
            if (mpUnreach == null && attributes.equals(PathAttributes.EMPTY)) {
                return Family.IPV4_UNICAST;
            }
            if (mpUnreach != null && mpUnreach.withdrawn().isEmpty() && mpUnreach.rawNlri().length == 0
                    && attributes.equals(PathAttributes.EMPTY)) {
                return mpUnreach.family();
            }
        }
        return null;
    }

    @Override
    public int type() {
        return UPDATE;
    }
}
