package dev.lattice.core.internal.selection;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Whether the framework is shutting down, when a plugin's unregistration must not cause a swap. */
final class FrameworkState {
    private FrameworkState() {
    }

    static boolean stopping(BundleContext context) {
        if (context == null) {
            return false;
        }
        try {
            Bundle system = context.getBundle(0);
            return system == null || system.getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // our own context is no longer valid: we are being stopped
        }
    }
}
