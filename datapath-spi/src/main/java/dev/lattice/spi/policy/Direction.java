package dev.lattice.spi.policy;

/** Traffic direction relative to the selected pod. */
public enum Direction {
    INGRESS,
    EGRESS
}
