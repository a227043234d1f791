package dev.lattice.routing.bgp.wire;

/** KEEPALIVE: the header alone. */
public record Keepalive() implements Message {
    public static final Keepalive INSTANCE = new Keepalive();

    @Override
    public int type() {
        return KEEPALIVE;
    }
}
