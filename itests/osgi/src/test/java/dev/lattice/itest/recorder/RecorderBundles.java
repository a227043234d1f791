package dev.lattice.itest.recorder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds recorder plugin bundles from this package's compiled classes: a manifest that imports
 * only datapath-spi packages and the OSGi framework, no exports.
 */
public final class RecorderBundles {
    private static final String[] CLASSES = {
        "CallLog", "RecordingDataplanes", "RecordingDataplanes$Services", "RecordingDataplanes$Policies",
        "RecordingDataplanes$Routing", "RecordingDataplanes$Pods", "RecorderActivator"
    };

    private RecorderBundles() {
    }

    /** Writes a recorder bundle named {@code name} at {@code version} to {@code jar}. */
    public static Path write(Path jar, String name, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "dev.lattice.itest.recorder." + name);
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Activator", RecorderActivator.class.getName());
        a.putValue(RecorderActivator.NAME_HEADER, name);
        a.putValue("Import-Package", String.join(",",
                "dev.lattice.spi.plugin;version=\"[1.0,2)\"",
                "dev.lattice.spi.pod;version=\"[1.0,2)\"",
                "dev.lattice.spi.policy;version=\"[1.0,2)\"",
                "dev.lattice.spi.routing;version=\"[1.0,2)\"",
                "dev.lattice.spi.service;version=\"[1.0,2)\"",
                "dev.lattice.spi.net;version=\"[1.0,2)\"",
                "org.osgi.framework;version=\"[1.8,2)\""));
        Files.createDirectories(jar.getParent());
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(out, mf)) {
            String pkg = RecorderActivator.class.getPackageName().replace('.', '/');
            for (String c : CLASSES) {
                String entry = pkg + "/" + c + ".class";
                try (InputStream in = RecorderBundles.class.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException("class file " + entry + " not found on the test class path");
                    }
                    jos.putNextEntry(new JarEntry(entry));
                    in.transferTo(jos);
                    jos.closeEntry();
                }
            }
        }
        return Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
