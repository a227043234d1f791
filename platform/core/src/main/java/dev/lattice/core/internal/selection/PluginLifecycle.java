package dev.lattice.core.internal.selection;

/**
 * How a selector brings a plugin of its kind into force and retires one. Bringing up is the
 * "make" of make-before-break: it must leave the new plugin serving the current desired state.
 */
interface PluginLifecycle<T> {
    /** Makes {@code plugin} serve the current desired state; throws when it cannot. */
    void bringUp(T plugin) throws Exception;

    /** Removes what {@code plugin} programmed; called after another plugin took over. */
    void retire(T plugin) throws Exception;
}
