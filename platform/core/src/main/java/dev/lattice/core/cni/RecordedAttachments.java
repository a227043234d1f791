package dev.lattice.core.cni;

import dev.lattice.spi.pod.Attachment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Read and forget the attachments the CNI server recorded, for {@code lattice cleanup}, which
 * detaches every pod through the datapath that made it before the datapaths clean up the node.
 */
public final class RecordedAttachments {
    private final AttachmentStore store;

    private RecordedAttachments(AttachmentStore store) {
        this.store = store;
    }

    /** The records under {@code stateDir} (the CNI server's {@code cni.stateDir}). */
    public static RecordedAttachments in(Path stateDir) {
        Path dir = stateDir.resolve("attachments");
        return new RecordedAttachments(Files.isDirectory(dir) ? new AttachmentStore(dir) : null);
    }

    public List<Attachment> all() {
        return store == null ? List.of() : store.all().stream().map(AttachmentStore.Entry::attachment).toList();
    }

    /** Forgets one record, after its pod was detached. */
    public void forget(Attachment a) {
        if (store != null) {
            store.remove(new dev.lattice.core.ipam.Ipam.Key(a.containerId(), a.ifName()));
        }
    }
}
