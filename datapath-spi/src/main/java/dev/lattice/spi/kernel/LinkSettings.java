package dev.lattice.spi.kernel;

import dev.lattice.spi.net.MacAddress;
import java.util.Objects;

/**
 * Changes to apply to a link with {@link Rtnetlink#setLink(String, LinkSettings)}. Immutable;
 * each method returns a copy with one more setting. Unset settings are left as they are.
 *
 * <pre>{@code rt.setLink("veth0", LinkSettings.create().up(true).mtu(1450).master("br0"));}</pre>
 */
public final class LinkSettings {
    private final Boolean up;
    private final Integer mtu;
    private final MacAddress mac;
    private final String master;
    private final String alias;
    private final NetNamespace namespace;
    private final String newName;
    private final Boolean hairpin;
    private final Boolean learning;

    private LinkSettings(Boolean up, Integer mtu, MacAddress mac, String master, String alias,
                         NetNamespace namespace, String newName, Boolean hairpin, Boolean learning) {
        this.up = up;
        this.mtu = mtu;
        this.mac = mac;
        this.master = master;
        this.alias = alias;
        this.namespace = namespace;
        this.newName = newName;
        this.hairpin = hairpin;
        this.learning = learning;
    }

    /** No changes. */
    public static LinkSettings create() {
        return new LinkSettings(null, null, null, null, null, null, null, null, null);
    }

    /** Administratively up or down. */
    public LinkSettings up(boolean value) {
        return new LinkSettings(value, mtu, mac, master, alias, namespace, newName, hairpin, learning);
    }

    public LinkSettings mtu(int value) {
        if (value < 68 || value > 65535) {
            throw new IllegalArgumentException("MTU " + value + " is outside 68..65535");
        }
        return new LinkSettings(up, value, mac, master, alias, namespace, newName, hairpin, learning);
    }

    public LinkSettings mac(MacAddress value) {
        return new LinkSettings(up, mtu, Objects.requireNonNull(value), master, alias, namespace, newName, hairpin, learning);
    }

    /** Enslaves the link to the named bridge; the empty string releases it ("nomaster"). */
    public LinkSettings master(String bridge) {
        return new LinkSettings(up, mtu, mac, Objects.requireNonNull(bridge), alias, namespace, newName, hairpin, learning);
    }

    /** Sets IFLA_IFALIAS, a free-text description (e.g. the owner); empty removes it. */
    public LinkSettings alias(String value) {
        return new LinkSettings(up, mtu, mac, master, Objects.requireNonNull(value), namespace, newName, hairpin, learning);
    }

    /** Moves the link into another namespace (by its fd). Other settings are applied before the move. */
    public LinkSettings namespace(NetNamespace target) {
        return new LinkSettings(up, mtu, mac, master, alias, Objects.requireNonNull(target), newName, hairpin, learning);
    }

    /** This without the namespace move. */
    public LinkSettings withoutNamespace() {
        return new LinkSettings(up, mtu, mac, master, alias, null, newName, hairpin, learning);
    }

    /** Renames the link (it must be down unless the kernel allows otherwise). */
    public LinkSettings rename(String value) {
        return new LinkSettings(up, mtu, mac, master, alias, namespace, Objects.requireNonNull(value), hairpin, learning);
    }

    /** Bridge port: hairpin mode (reflect frames back out of the port they came in). */
    public LinkSettings hairpin(boolean value) {
        return new LinkSettings(up, mtu, mac, master, alias, namespace, newName, value, learning);
    }

    /** Bridge port: learn source MAC addresses. */
    public LinkSettings learning(boolean value) {
        return new LinkSettings(up, mtu, mac, master, alias, namespace, newName, hairpin, value);
    }

    public Boolean up() {
        return up;
    }

    public Integer mtu() {
        return mtu;
    }

    public MacAddress mac() {
        return mac;
    }

    public String master() {
        return master;
    }

    public String alias() {
        return alias;
    }

    public NetNamespace namespace() {
        return namespace;
    }

    public String newName() {
        return newName;
    }

    public Boolean hairpin() {
        return hairpin;
    }

    public Boolean learning() {
        return learning;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LinkSettings[");
        if (up != null) sb.append(up ? " up" : " down");
        if (mtu != null) sb.append(" mtu ").append(mtu);
        if (mac != null) sb.append(" address ").append(mac);
        if (master != null) sb.append(master.isEmpty() ? " nomaster" : " master " + master);
        if (alias != null) sb.append(" alias '").append(alias).append('\'');
        if (newName != null) sb.append(" name ").append(newName);
        if (namespace != null) sb.append(" netns ").append(namespace.name());
        if (hairpin != null) sb.append(" hairpin ").append(hairpin ? "on" : "off");
        if (learning != null) sb.append(" learning ").append(learning ? "on" : "off");
        return sb.append(" ]").toString();
    }
}
