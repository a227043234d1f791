package dev.lattice.spi.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PodInterfacesTest {
    /**
     * The names are part of the node's state: a new agent version finds the links an older one made
     * by these names, so the scheme (prefix + 11 hex digits of SHA-1 of "containerId/ifName") must not change.
     */
    @Test
    void nodeSideNamesAreStable() {
        assertEquals("lat9d48f381831", PodInterfaces.nodeSideName("lat", "c1", "eth0"));
        assertEquals("lmv9d48f381831", PodInterfaces.nodeSideName("lmv", "c1", "eth0"));
    }
}
