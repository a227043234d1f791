package dev.lattice.spi.pod;

import dev.lattice.spi.plugin.DataplaneException;

/**
 * Gives pods their network: an interface in the pod's namespace with the addresses IPAM chose,
 * routes, and whatever the node needs for it (a bridge, sysctls). Registered with
 * {@code lattice.plugin.kind=pod-network}.
 *
 * <p>Every method may be called concurrently for different containers; calls for the same
 * container are serialised by the core. A method that throws leaves nothing half-made.
 */
public interface PodNetworkDatapath {
    /**
     * Prepares the node, e.g. creates the bridge and sets sysctls. Idempotent: it is called at
     * start, when this datapath is selected, and when the node's pod CIDRs change.
     */
    void prepareNode(NodeNetwork node) throws DataplaneException;

    /** Attaches a pod (CNI ADD). Idempotent for the same container and interface. */
    Attachment attach(AttachRequest request) throws DataplaneException;

    /**
     * Verifies an attachment (CNI CHECK): the interface, its addresses and routes are as made.
     *
     * @throws DataplaneException naming what differs
     */
    void check(Attachment attachment) throws DataplaneException;

    /** Detaches a pod (CNI DEL). Succeeds when things are already gone. */
    void detach(Attachment attachment) throws DataplaneException;

    /** Removes what {@link #prepareNode} made, once no attachment of this datapath is left. */
    void cleanupNode() throws DataplaneException;
}
