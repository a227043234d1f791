package dev.lattice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LibCTest {
    @Test
    void getpidMatchesTheJvmsOwnPid() {
        assertEquals(ProcessHandle.current().pid(), LibC.get().getpid());
    }
}
