package dev.lattice.routing.bgp.fsm;

/** Opens outgoing connections for a session. Incoming ones are delivered by the listener side. */
public interface Transport {
    /** Outcome of a connect attempt; called on any thread. */
    interface ConnectCallback {
        void connected(Connection c);

        void failed(Throwable cause);
    }

    void connect(PeerConfig peer, ConnectCallback callback);
}
