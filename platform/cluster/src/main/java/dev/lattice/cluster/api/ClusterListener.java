package dev.lattice.cluster.api;

import java.util.List;

/**
 * Told about every published snapshot. Register one with {@link ClusterState#subscribe} or as an
 * OSGi service of this interface (whiteboard): the cluster bundle picks it up.
 *
 * <p>Called on the watch layer's publishing thread, one call at a time, in snapshot order: do
 * not block (hand work to your own thread, e.g. a controller's {@code OnUpdate}). An exception
 * is logged and does not stop later calls.
 */
@FunctionalInterface
public interface ClusterListener {
    /**
     * @param snapshot the new snapshot
     * @param changes  what changed since the snapshot this listener saw last; on the first call
     *                 after subscribing, every object of {@code snapshot} as ADDED
     */
    void clusterChanged(ClusterSnapshot snapshot, List<ClusterChange> changes);
}
