package dev.lattice.core.selection;

import dev.lattice.spi.service.ServiceState;

/** Entry point of the service controller: desired state goes to whichever proxy is in force. */
public interface ServiceProxySelection extends PluginSelection {
    /**
     * Remembers {@code desired} (a plugin that takes over later starts from it) and syncs the
     * plugin in force, if any. Exceptions of the plugin propagate so the caller can back off.
     */
    void sync(ServiceState desired);
}
