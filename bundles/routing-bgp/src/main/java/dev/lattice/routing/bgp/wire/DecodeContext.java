package dev.lattice.routing.bgp.wire;

/**
 * What the decoder must know about the session.
 *
 * @param as4  both sides announced the 4-octet-AS capability: AS numbers in AS_PATH and AGGREGATOR
 *             take four octets
 * @param ibgp the session is internal
 */
public record DecodeContext(boolean as4, boolean ibgp) {
    public static final DecodeContext DEFAULT = new DecodeContext(true, true);
}
