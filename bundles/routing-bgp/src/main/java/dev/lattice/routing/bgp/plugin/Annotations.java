package dev.lattice.routing.bgp.plugin;

/** Node annotations the BGP plugin reads (modelled on kube-router's {@code kube-router.io/...}). */
public final class Annotations {
    /** This node's AS number (default: the {@code asn} setting). */
    public static final String ASN = "lattice.dev/bgp-asn";
    /** This node's BGP router ID (default: its first IPv4 InternalIP). */
    public static final String ROUTER_ID = "lattice.dev/bgp-router-id";
    /** This node is a route reflector; the value is its cluster ID (a number or an IPv4 address). */
    public static final String RR_SERVER = "lattice.dev/bgp-rr-server";
    /** This node is a route-reflector client; the value is the cluster ID of its reflectors. */
    public static final String RR_CLIENT = "lattice.dev/bgp-rr-client";
    /** External peers of this node, in the {@code peers} setting's format. */
    public static final String PEERS = "lattice.dev/bgp-peers";
    /** Communities added to the prefixes this node advertises, comma separated {@code AS:VALUE}. */
    public static final String COMMUNITIES = "lattice.dev/bgp-communities";

    private Annotations() {
    }
}
