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
import java.nio.file.NoSuchFileException;
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
 * made each, in {@code attachments.json} (written atomically). A record is written as
 * {@code pending} before the datapath is asked to attach and becomes {@code attached} after, so
 * that after a crash the server knows which half-made attachments to roll back.
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

    private final Path file;
    private final boolean fsync;
    private final Map<Ipam.Key, Entry> entries = new TreeMap<>();

    AttachmentStore(Path file, boolean fsync) {
        this.file = file;
        this.fsync = fsync;
        load();
    }

    synchronized Optional<Entry> get(Ipam.Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    synchronized void put(Entry e) {
        Entry old = entries.put(e.key(), e);
        try {
            save();
        } catch (RuntimeException ex) {
            if (old == null) entries.remove(e.key());
            else entries.put(e.key(), old);
            throw ex;
        }
    }

    synchronized boolean remove(Ipam.Key key) {
        if (entries.remove(key) == null) {
            return false;
        }
        save();
        return true;
    }

    synchronized long countFor(String datapath) {
        return entries.values().stream().filter(e -> e.attachment().datapath().equals(datapath)).count();
    }

    private void load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CNI state " + file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, Object> root = Json.asObject(Json.parse(text));
            for (Object o : Json.asArray(root.get("attachments"))) {
                Map<String, Object> m = Json.asObject(o);
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
                Entry e = new Entry(State.valueOf(Json.asString(m.get("state"))), att);
                entries.put(e.key(), e);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("CNI state " + file + " is corrupt (" + e + "); move it away after checking "
                    + "which pods exist", e);
        }
    }

    private void save() {
        List<Object> list = new ArrayList<>();
        for (Entry e : entries.values()) {
            Attachment a = e.attachment();
            Map<String, Object> m = new LinkedHashMap<>();
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
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("attachments", list);
        try {
            Ipam.writeAtomically(file, Json.write(root) + "\n", fsync);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write CNI state " + file + ": " + e, e);
        }
    }
}
