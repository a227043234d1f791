package dev.lattice.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.lattice.kernel.LibC;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The distribution's bundles inside Felix: everything resolves and activates, and the native and
 * network libraries the plugins need work inside the framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkIT {
    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws Exception {
        return OsgiSupport.frameworkOptions();
    }

    @Test
    public void everyBundleResolvesAndEveryComponentActivates() {
        List<String> problems = new ArrayList<>();
        int lattice = 0;
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " is in state " + b.getState() + ", expected " + expected);
            }
            if (b.getSymbolicName().startsWith("dev.lattice.")) {
                lattice++;
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state != ComponentConfigurationDTO.ACTIVE) {
                            problems.add("component " + d.name + " is in state " + c.state
                                    + (c.failure != null ? ": " + c.failure : ""));
                        }
                    }
                }
            }
        }
        assertTrue("Lattice bundles installed: " + lattice, lattice >= 3);
        assertTrue(String.join("\n", problems), problems.isEmpty());
        // The core's components are there (and, by the loop above, active).
        java.util.Set<String> names = new java.util.HashSet<>();
        scr.getComponentDescriptionDTOs(bundle("dev.lattice.core")).forEach(d -> names.add(d.name));
        for (String expected : List.of("PodNetworkSelector", "RoutingSelector", "ServiceProxySelector",
                "NetworkPolicySelector", "admin.AdminServer", "fib.FibProgrammer")) {
            assertTrue(expected + " in " + names, names.stream().anyMatch(n -> n.endsWith(expected)));
        }
        // The kernel bundle provides NetworkNamespaces to plugins as a service.
        assertTrue(context.getServiceReference(dev.lattice.spi.kernel.NetworkNamespaces.class) != null);
    }

    @Test
    public void jnrFfiMakesANativeCallInsideTheKernelBundle() {
        assertEquals("dev.lattice.kernel", FrameworkUtil.getBundle(LibC.class).getSymbolicName());
        assertEquals(ProcessHandle.current().pid(), LibC.get().getpid());
        assertTrue(LibC.get().gettid() > 0);
    }

    @Test
    public void nettyServesTheAdminEndpointWithNativeEpoll() throws Exception {
        OsgiSupport.await("the admin endpoint", () -> {
            try {
                return OsgiSupport.get("/healthz").body().contains("\"transport\": \"epoll\"");
            } catch (java.io.IOException e) {
                return false;
            }
        }, () -> "no answer on port " + OsgiSupport.adminPort());
        OsgiSupport.Response health = OsgiSupport.get("/healthz");
        assertTrue(health.body(), health.body().contains("\"selection.service-proxy\""));
        assertTrue(health.body(), health.body().contains("\"admin\""));
        OsgiSupport.Response metrics = OsgiSupport.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body(), metrics.body().contains("# TYPE lattice_plugin_swaps_total counter"));
        assertTrue(metrics.body(), metrics.body().contains("lattice_plugin_swaps_total{kind=\"routing\"} 0"));
        assertEquals(404, OsgiSupport.get("/nope").status());
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }
}
