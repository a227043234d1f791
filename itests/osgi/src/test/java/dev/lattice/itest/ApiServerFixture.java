package dev.lattice.itest;

import dev.lattice.apiserver.EmbeddedApiServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The embedded Kubernetes API server for the OSGi tests. It runs in the test JVM outside the
 * framework (fabric8's mock server on loopback); only its URL crosses into the framework, where
 * the cluster bundle's own embedded fabric8 client talks to it over HTTP. The test classes that
 * run inside the framework must not touch this class.
 */
final class ApiServerFixture {
    static final String URL_PROPERTY = "lattice.itest.apiServer";
    private static EmbeddedApiServer server;

    private ApiServerFixture() {
    }

    /** Starts the server once per JVM, seeded with one node; returns its URL. */
    static synchronized String startOnce() {
        if (server == null) {
            server = EmbeddedApiServer.startLoopback();
            server.seed(new ByteArrayInputStream("""
                    apiVersion: v1
                    kind: Node
                    metadata:
                      name: itest-node-1
                      labels: {kubernetes.io/hostname: itest-node-1}
                    spec:
                      podCIDR: 10.244.7.0/24
                      podCIDRs: [10.244.7.0/24, "fd00:10:244:7::/64"]
                    status:
                      addresses:
                      - {type: InternalIP, address: 192.0.2.7}
                    """.getBytes(StandardCharsets.UTF_8)));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            System.setProperty(URL_PROPERTY, server.url());
        }
        return server.url();
    }
}
