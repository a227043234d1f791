package dev.lattice.spi.kernel.firewall;

/** {@code ipset} in one network namespace. */
public interface Ipset {
    /**
     * Feeds {@code commands} ({@code create}, {@code add}, {@code swap}, {@code destroy}... one a
     * line, the {@code ipset save} format) to {@code ipset restore}. Not atomic across lines: use a
     * temporary set and {@code swap} for an atomic replacement.
     *
     * @throws FirewallException naming the failing line
     */
    void restore(String commands);

    /** {@code ipset list <name>} output, or of all sets when {@code name} is null. */
    String list(String name);
}
