/**
 * Service load balancing: the core resolves Services and EndpointSlices into
 * {@link dev.lattice.spi.service.VirtualService}s with kube-proxy semantics; a
 * {@link dev.lattice.spi.service.ServiceDataplane} programs them.
 */
package dev.lattice.spi.service;
