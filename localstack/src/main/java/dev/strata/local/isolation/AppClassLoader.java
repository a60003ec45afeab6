package dev.strata.local.isolation;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A class loader that gives one Micronaut application (the router, or the shard service) its own copy of
 * Micronaut, Netty and its own classes, while sharing everything that crosses the boundary (Strata's common
 * types, the AWS SDK, jvector, Jackson, logging) with the launcher.
 *
 * <p>Why: the router and the shard service are separate deployables in AWS, but here they run in one JVM on one
 * class path. Micronaut discovers beans from every {@code META-INF/micronaut} entry its class loader can see, so
 * without isolation the router's context would also start the shard service's beans (a phantom node heartbeating)
 * and both would register two {@code /metrics} controllers and two exception handlers. This loader hides the
 * other application's classes and bean definitions: classes in {@link #isolatedPrefix(String) isolated packages}
 * and every {@code META-INF/} resource come only from its own URLs (the class path minus the other
 * application's module), everything else is delegated to the shared loader.
 *
 * <p>Thread-safe (parallel capable). Never closed while the application runs; {@link #close()} after it stops.
 */
public final class AppClassLoader extends URLClassLoader {
    private static final String[] ISOLATED = {
            "io.micronaut.", "io.netty.", "io.micrometer.", "io.opentelemetry.", "io.github.resilience4j.",
            "io.projectreactor.", "reactor.", "org.reactivestreams.", "jakarta.inject.", "jakarta.annotation.",
            "org.crac.", "dev.strata.router.", "dev.strata.shard.service.",
            // common's tracing set-up links OpenTelemetry types, which each application has its own copy of
            "dev.strata.telemetry."
    };

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader shared;

    private AppClassLoader(String name, URL[] urls, ClassLoader shared) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.shared = shared;
    }

    /**
     * A loader over the JVM's class path without {@code hidden} (the other application's module, a directory or
     * jar), sharing non-isolated classes with {@code shared}.
     */
    public static AppClassLoader over(String name, List<Path> classPath, List<Path> hidden, ClassLoader shared) {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classPath) {
            Path abs = entry.toAbsolutePath().normalize();
            if (hidden.stream().noneMatch(h -> h.toAbsolutePath().normalize().equals(abs))) {
                try {
                    urls.add(abs.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("class path entry " + entry + " is not a valid URL", e);
                }
            }
        }
        return new AppClassLoader(name, urls.toArray(URL[]::new), shared);
    }

    /** The JVM's class path entries ({@code java.class.path}). */
    public static List<Path> jvmClassPath() {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(Path.of(entry));
            }
        }
        if (out.size() == 1 && out.get(0).getFileName().toString().startsWith("surefirebooter")) {
            throw new IllegalStateException("the class path is a surefire manifest-only jar; run the tests with "
                    + "useManifestOnlyJar=false so the applications can be isolated");
        }
        return out;
    }

    /** The class path entry (module directory or jar) that holds {@code resource}, e.g. a class file. */
    public static Path moduleOf(String resource) {
        URL url = AppClassLoader.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the class path; build with "
                    + "./mvnw -pl localstack -am package");
        }
        String text = url.toString();
        try {
            if (text.startsWith("jar:")) {
                return Path.of(java.net.URI.create(text.substring(4, text.indexOf("!/"))));
            }
            Path file = Path.of(url.toURI());
            for (int i = 0; i < resource.split("/").length; i++) {
                file = file.getParent();
            }
            return file;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + resource + " at " + url, e);
        }
    }

    static boolean isolatedPrefix(String className) {
        for (String prefix : ISOLATED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isolatedPrefix(name)) {
            return shared.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith("META-INF/") || isolatedResource(name)) {
            return findResource(name);
        }
        URL url = shared.getResource(name);
        return url != null ? url : findResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith("META-INF/") || isolatedResource(name)) {
            return findResources(name);
        }
        Enumeration<URL> urls = shared.getResources(name);
        return urls.hasMoreElements() ? urls : Collections.emptyEnumeration();
    }

    private static boolean isolatedResource(String name) {
        return name.endsWith(".class") && isolatedPrefix(name.replace('/', '.'))
                || name.startsWith("application") || name.startsWith("bootstrap");
    }
}
