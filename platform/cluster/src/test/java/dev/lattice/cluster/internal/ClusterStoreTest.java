package dev.lattice.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.cluster.api.ClusterChange;
import dev.lattice.cluster.api.ClusterNamespace;
import dev.lattice.cluster.api.ClusterPod;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.cluster.api.ResourceKind;
import dev.lattice.spi.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterStoreTest {
    private final ClusterStore store = new ClusterStore("n1", 0);

    @AfterEach
    void close() {
        store.close();
    }

    static ClusterPod pod(String name, String ip, String node) {
        return new ClusterPod("default", name, "", "1", node, Map.of("app", "x"), List.of(IpAddress.parse(ip)), false,
                "Running", false, List.of());
    }

    private ClusterSnapshot settle() throws InterruptedException {
        CountDownLatch l = new CountDownLatch(1);
        store.runAfterQueued(l::countDown);
        assertTrue(l.await(5, TimeUnit.SECONDS));
        return store.snapshot();
    }

    @Test
    void changesBetweenPublicationsAreFoldedPerObject() throws Exception {
        store.setSynced(true);
        store.upsert(pod("a", "10.0.0.1", "n1"));
        ClusterSnapshot first = settle();
        assertTrue(first.synced());
        List<List<ClusterChange>> seen = new ArrayList<>();
        store.subscribe((s, changes) -> seen.add(changes));
        settle();
        assertEquals(1, seen.size(), "the initial call");
        assertEquals(ClusterChange.Type.ADDED, seen.get(0).get(0).type());

        // one batch: a changes twice, b is added and deleted, c added; an unchanged upsert
        store.runAfterQueued(() -> { });
        settle();
        seen.clear();
        CountDownLatch hold = new CountDownLatch(1);
        store.runAfterQueued(() -> {
            try {
                hold.await(); // keep the publisher busy while the batch queues up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        store.upsert(pod("a", "10.0.0.2", "n1"));
        store.upsert(pod("a", "10.0.0.3", "n2"));
        store.upsert(pod("b", "10.0.0.4", "n1"));
        store.delete(ResourceKind.POD, ObjectKey.of("default", "b"));
        store.upsert(pod("c", "10.0.0.5", "n1"));
        store.upsert(new ClusterNamespace("default", "", "1", Map.of(), false));
        hold.countDown();
        ClusterSnapshot s = settle();
        List<ClusterChange> all = new ArrayList<>();
        seen.forEach(all::addAll);
        assertEquals(3, all.size(), all::toString);
        ClusterChange a = all.stream().filter(c -> c.key().name().equals("a")).findFirst().orElseThrow();
        assertEquals(ClusterChange.Type.UPDATED, a.type());
        assertEquals("10.0.0.1", ((ClusterPod) a.oldValue()).ips().get(0).toString());
        assertEquals("10.0.0.3", ((ClusterPod) a.newValue()).ips().get(0).toString());
        assertTrue(all.stream().noneMatch(c -> c.key().name().equals("b")), "added and deleted: nothing to say");
        assertEquals(List.of("c"), s.podsOnNode("n1").stream().map(ClusterPod::name).toList());
        assertEquals(1, s.podsOnNode("n2").size());
        assertEquals(1, s.namespaces().size());
    }

    @Test
    void retainRemovesWhatARelistNoLongerHasAndIndexesAreShared() throws Exception {
        store.upsert(pod("a", "10.0.0.1", "n1"));
        store.upsert(pod("b", "10.0.0.2", "n1"));
        store.upsert(new ClusterNamespace("default", "", "1", Map.of(), false));
        ClusterSnapshot before = settle();
        List<ClusterPod> idx = before.localPods();
        assertEquals(2, idx.size());
        store.upsert(new ClusterNamespace("default", "", "2", Map.of("x", "y"), false));
        ClusterSnapshot nsOnly = settle();
        assertSame(idx, nsOnly.localPods(), "pods unchanged: the index is reused");
        store.retainOnly(ResourceKind.POD, Set.of(ObjectKey.of("default", "a")));
        ClusterSnapshot after = settle();
        assertNotNull(after.pod("default", "a").orElse(null));
        assertTrue(after.pod("default", "b").isEmpty());
        assertTrue(after.version() > nsOnly.version());
        assertEquals(2, before.pods().size(), "older snapshots never change");
    }
}
