package org.livemetrics.transforms.enrich;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Yauaa's analyzer for the device class, built once at build time and shipped in the jar in
 * Yauaa's own serialized form. Building it from its rule files costs several CPU-seconds at every
 * start (a third of a small backfill's CPU, measured with JFR); reading the prebuilt one costs
 * about a sixth of that. The resource is ours, written by {@link #main} during the build; it is
 * still read through a filter that admits only Yauaa's and the JDK's classes. When it is missing
 * or does not fit the Yauaa on the classpath, the analyzer is built from the rules as before.
 */
final class PrebuiltAnalyzer {
  static final String RESOURCE = "device-class-analyzer.ser.gz";
  private static final Logger LOG = LoggerFactory.getLogger(PrebuiltAnalyzer.class);

  private PrebuiltAnalyzer() {}

  /** The analyzer the pipelines use: only the device class, no cache (the resolver keeps one). */
  static UserAgentAnalyzer build() {
    return UserAgentAnalyzer.newBuilder()
        .withField(UserAgent.DEVICE_CLASS)
        .withoutCache()
        .hideMatcherLoadStats()
        .dropTests() // its bundled test cases cost start-up time and memory
        .immediateInitialization()
        .build();
  }

  /** The prebuilt analyzer, or null (then build one). */
  static @Nullable UserAgentAnalyzer load() {
    InputStream resource = PrebuiltAnalyzer.class.getResourceAsStream(RESOURCE);
    return resource == null ? null : load(resource);
  }

  /** Reads a gzipped serialized analyzer, admitting only Yauaa's and the JDK's classes. */
  static @Nullable UserAgentAnalyzer load(InputStream resource) {
    try (ObjectInputStream in = new ObjectInputStream(
        new GZIPInputStream(new BufferedInputStream(resource, 1 << 16), 1 << 16))) {
      in.setObjectInputFilter(PrebuiltAnalyzer::admit);
      return (UserAgentAnalyzer) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      LOG.warn("The prebuilt user-agent analyzer could not be read ({}); building it from the rules", e.toString());
      return null;
    }
  }

  private static ObjectInputFilter.Status admit(ObjectInputFilter.FilterInfo info) {
    Class<?> c = info.serialClass();
    while (c != null && c.isArray()) {
      c = c.getComponentType();
    }
    if (c == null || c.isPrimitive()) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    String name = c.getName();
    return name.startsWith("nl.basjes.") || name.startsWith("java.")
        ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  }

  /** Build step: writes the analyzer to {@code args[0]} (a directory of the classpath). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]).resolve(
        PrebuiltAnalyzer.class.getPackageName().replace('.', '/')).resolve(RESOURCE);
    Files.createDirectories(out.getParent());
    try (OutputStream file = Files.newOutputStream(out);
        ObjectOutputStream o = new ObjectOutputStream(
            new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16))) {
      o.writeObject(build());
    }
    System.out.printf("Wrote %s (%,d bytes)%n", out, Files.size(out));
  }
}
