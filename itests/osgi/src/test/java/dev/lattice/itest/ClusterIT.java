package dev.lattice.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.spi.net.IpPrefix;
import java.time.Duration;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * fabric8 inside the framework: the cluster bundle, with fabric8 and its JDK HTTP client
 * embedded, lists and watches an embedded API server and publishes what it sees.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClusterIT {
    @Inject
    private ClusterState cluster;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws Exception {
        ApiServerFixture.startOnce();
        return OsgiSupport.frameworkOptions();
    }

    @Test
    public void withoutAClusterTheAgentRunsAndSaysSo() throws Exception {
        configAdmin.getConfiguration("dev.lattice.kubernetes", "?").update(new Hashtable<>());
        OsgiSupport.await("the cluster to be reported as not configured",
                () -> cluster.status().phase() == ClusterState.Phase.NOT_CONFIGURED, () -> cluster.status().toString());
        String health = OsgiSupport.get("/healthz").body();
        assertTrue(health, health.contains("\"cluster\""));
        assertTrue(health, health.contains("not configured"));
    }

    @Test
    public void fabric8ClientInsideTheFrameworkSyncsFromTheEmbeddedApiServer() throws Exception {
        String url = System.getProperty(ApiServerFixture.URL_PROPERTY);
        assertNotNull("the API server URL", url);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("apiServer", url);
        props.put("nodeName", "itest-node-1");
        configAdmin.getConfiguration("dev.lattice.kubernetes", "?").update(props);

        OsgiSupport.await("a synced snapshot with the seeded node", () -> {
            ClusterSnapshot s = cluster.snapshot();
            return s.synced() && s.node("itest-node-1").isPresent();
        }, () -> cluster.status().toString());
        ClusterSnapshot snapshot = cluster.awaitSynced(Duration.ofSeconds(5));
        ClusterNode node = snapshot.localNode().orElseThrow();
        assertEquals("itest-node-1", node.name());
        assertEquals(IpPrefix.parse("10.244.7.0/24"), node.podCidrs().get(0));
        assertEquals(IpPrefix.parse("fd00:10:244:7::/64"), node.podCidrs().get(1));
        assertEquals("192.0.2.7", node.internalIps().get(0).toString());
        assertEquals(ClusterState.Phase.SYNCED, cluster.status().phase());
        String health = OsgiSupport.get("/healthz").body();
        assertTrue(health, health.contains("\"cluster\""));
    }

    @Test
    public void theRoutingControllerHandsTheClusterToTheDistributorInForce() throws Exception {
        Hashtable<String, Object> agent = new Hashtable<>();
        agent.put("routing", "dryrun");
        configAdmin.getConfiguration("dev.lattice.agent", "?").update(agent);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("apiServer", System.getProperty(ApiServerFixture.URL_PROPERTY));
        props.put("nodeName", "itest-node-1");
        configAdmin.getConfiguration("dev.lattice.kubernetes", "?").update(props);
        OsgiSupport.await("the routing intent with the seeded node", () -> {
            try {
                return OsgiSupport.get("/healthz").body().contains("1 nodes; advertising [10.244.7.0/24, fd00:10:244:7::/64]");
            } catch (java.io.IOException e) {
                return false;
            }
        }, () -> {
            try {
                return OsgiSupport.get("/healthz").body();
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        configAdmin.getConfiguration("dev.lattice.agent", "?").update(new Hashtable<>());
    }
}
