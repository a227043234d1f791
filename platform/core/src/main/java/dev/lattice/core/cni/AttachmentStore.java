package dev.lattice.core.cni;

import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.Json;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.MacAddress;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.InterfaceAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pod attachments the CNI server made, by container ID + interface, with the datapath that
 * made each: one small JSON file per attachment in {@code <stateDir>/attachments/}, named
 * {@code <containerId>@<ifName>.json} and written atomically, so an ADD or DEL costs the same
 * whatever the number of pods. A record is written as {@code pending} before the datapath is
 * asked to attach and becomes {@code attached} after, so that after a crash the server knows
 * which half-made attachments to roll back.
 *
 * <p>Records are not fsync'd: the agent crashing loses nothing (the page cache survives it), and
 * after a power failure no pod survives either. A file a power failure left empty or torn is set
 * aside as {@code *.corrupt} with a warning; IPAM's state (fsync'd) stays the authority on
 * addresses, and allocations without a record are released at start.
 */
final class AttachmentStore {
    enum State { PENDING, ATTACHED }

    record Entry(State state, Attachment attachment) {
        Entry {
            Objects.requireNonNull(state);
            Objects.requireNonNull(attachment);
        }

        Ipam.Key key() {
            return new Ipam.Key(attachment.containerId(), attachment.ifName());
        }
    }

    private static final System.Logger LOG = System.getLogger(AttachmentStore.class.getName());
    private final Path dir;
    private final Map<Ipam.Key, Entry> entries = new TreeMap<>();

    AttachmentStore(Path dir) {
        this.dir = dir;
        load();
    }

    private Path file(Ipam.Key key) {
        return dir.resolve(key.containerId() + "@" + key.ifName() + ".json");
    }

    synchronized Optional<Entry> get(Ipam.Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    /** Records an entry (atomically replacing the previous one). */
    synchronized void put(Entry e) {
        try {
            Ipam.writeAtomically(file(e.key()), Json.write(toJson(e)) + "\n", false);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot write CNI state " + file(e.key()) + ": " + ex, ex);
        }
        entries.put(e.key(), e);
    }

    synchronized boolean remove(Ipam.Key key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException ex) {
            throw new IllegalStateException("cannot remove CNI state " + file(key) + ": " + ex, ex);
        }
        return entries.remove(key) != null;
    }

    synchronized long countFor(String datapath) {
        return entries.values().stream().filter(e -> e.attachment().datapath().equals(datapath)).count();
    }

    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CNI state in " + dir + ": " + e.getMessage(), e);
        }
        for (Path f : files) {
            try {
                Entry e = fromJson(Json.asObject(Json.parse(Files.readString(f, StandardCharsets.UTF_8))));
                entries.put(e.key(), e);
            } catch (IOException | RuntimeException e) {
                Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
                try {
                    Files.move(f, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ex) {
                    throw new IllegalStateException("CNI state file " + f + " is unreadable (" + e + ") and cannot be "
                            + "moved aside: " + ex.getMessage(), ex);
                }
                LOG.log(System.Logger.Level.WARNING, "CNI state file {0} is unreadable ({1}); moved to {2}. Its pod is "
                        + "gone if the node lost power; if not, the runtime''s GC or DEL removes it", f, e.toString(), aside);
            }
        }
    }

    private static Entry fromJson(Map<String, Object> m) {
        List<InterfaceAddress> addrs = new ArrayList<>();
        for (Object a : Json.asArray(m.get("addresses"))) {
            Map<String, Object> am = Json.asObject(a);
            addrs.add(new InterfaceAddress(IpAddress.parse(Json.asString(am.get("address"))),
                    Integer.parseInt(String.valueOf(am.get("prefixLength"))),
                    IpAddress.parse(Json.asString(am.get("gateway")))));
        }
        Map<String, String> details = new LinkedHashMap<>();
        Map<String, Object> dm = Json.asObject(m.get("details"));
        if (dm != null) dm.forEach((k, v) -> details.put(k, String.valueOf(v)));
        String mac = Json.asString(m.get("podMac"));
        Attachment att = new Attachment(Json.asString(m.get("containerId")), Json.asString(m.get("netns")),
                Json.asString(m.get("ifName")), Json.asString(m.get("datapath")),
                Json.asString(m.get("hostInterface")), mac == null || mac.isEmpty() ? null : MacAddress.parse(mac),
                addrs, details);
        return new Entry(State.valueOf(Json.asString(m.get("state"))), att);
    }

    private static Map<String, Object> toJson(Entry e) {
        Attachment a = e.attachment();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("state", e.state().name());
        m.put("containerId", a.containerId());
        m.put("ifName", a.ifName());
        m.put("netns", a.netnsPath());
        m.put("datapath", a.datapath());
        m.put("hostInterface", a.hostInterface());
        m.put("podMac", a.podMac() == null ? "" : a.podMac().toString());
        List<Object> addrs = new ArrayList<>();
        for (InterfaceAddress ia : a.addresses()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("address", ia.address().toString());
            am.put("prefixLength", ia.prefixLength());
            am.put("gateway", ia.gateway().toString());
            addrs.add(am);
        }
        m.put("addresses", addrs);
        m.put("details", new TreeMap<>(a.details()));
        return m;
    }
}
