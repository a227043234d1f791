package dev.lattice.spi.kernel;

/** A running event subscription; {@link #close()} stops delivery and releases its socket and thread. */
public interface Subscription extends AutoCloseable {
    /**
     * Whether events were lost since the subscription started because the kernel's socket buffer
     * overflowed (ENOBUFS). A listener that sees this must resynchronise by listing.
     */
    boolean overrun();

    @Override
    void close();
}
