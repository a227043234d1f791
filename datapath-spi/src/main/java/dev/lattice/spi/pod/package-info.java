/**
 * Pod networking: the {@link dev.lattice.spi.pod.PodNetworkDatapath} contract that gives each pod
 * its interface, addresses and routes when the container runtime calls CNI.
 */
package dev.lattice.spi.pod;
