package dev.lattice.routing.bgp.fsm;

import dev.lattice.routing.bgp.wire.Message;

/** One TCP connection as the FSM sees it. */
public interface Connection {
    /** Encodes and sends; the bytes are produced by the session with its negotiated context. */
    void send(byte[] encoded, Message message);

    /** Closes after pending writes are flushed. */
    void close();

    /**
     * Tells the transport how to decode UPDATEs once the OPENs are exchanged, so that it may decode
     * them on its own thread and hand over {@link Message}s ({@link Session#received(Connection, Message)}).
     */
    default void setDecodeContext(dev.lattice.routing.bgp.wire.DecodeContext ctx) {
    }

    /** For logs: {@code 10.0.0.1:179}. */
    String describe();
}
