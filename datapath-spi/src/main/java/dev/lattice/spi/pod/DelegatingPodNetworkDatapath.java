package dev.lattice.spi.pod;

/**
 * A pod datapath that forwards every call to the datapath currently in force, which its subclass
 * replaces when its settings change. Made for Declarative Services components: the subclass keeps
 * its own {@code @Component}, references and lifecycle methods (so no annotations are inherited)
 * and builds a new {@code D} from each configuration; this class only holds and forwards to it.
 *
 * @param <D> the plain datapath built from one configuration
 * @since 1.2
 */
public abstract class DelegatingPodNetworkDatapath<D extends PodNetworkDatapath> implements PodNetworkDatapath {
    private volatile D delegate;

    /** The datapath in force, or null before the first {@link #replace}. */
    protected final D delegate() {
        return delegate;
    }

    /**
     * Puts {@code next} in force for the calls that follow and returns the one it replaces (null the
     * first time), for the caller to close; calls already running finish on the old one.
     */
    protected final D replace(D next) {
        D old = delegate;
        delegate = next;
        return old;
    }

    @Override
    public void prepareNode(NodeNetwork node) {
        delegate.prepareNode(node);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        return delegate.attach(request);
    }

    @Override
    public void check(Attachment attachment) {
        delegate.check(attachment);
    }

    @Override
    public void detach(Attachment attachment) {
        delegate.detach(attachment);
    }

    @Override
    public void cleanupNode() {
        delegate.cleanupNode();
    }
}
