package org.livemetrics.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one benchmark phase in a JVM of its own, so that its peak memory is its own, and returns
 * the key=value pairs of the {@code RESULT phase=… key=value …} line it prints. Echoes that line,
 * the phase's {@code PROGRESS …} lines, and lines that report an error.
 */
final class PhaseJvm {
  private PhaseJvm() {}

  static Map<String, String> run(Class<?> main, List<String> jvmOptions, String... args)
      throws Exception {
    return run(System.getProperty("java.class.path"), main, jvmOptions, args);
  }

  /** As {@link #run(Class, List, String...)}, on {@code classpath}. */
  static Map<String, String> run(String classpath, Class<?> main, List<String> jvmOptions,
      String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classpath, main.getName()));
    cmd.addAll(List.of(args));
    System.out.println("Running " + args[0] + " ...");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Map<String, String> result = new HashMap<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).split(" ")) {
            String[] parts = kv.split("=", 2);
            result.put(parts[0], parts[1]);
          }
          System.out.println("  " + line);
        } else if (line.startsWith("PROGRESS ")) {
          System.out.println("  " + line.substring(9));
        } else if (line.contains("ERROR") || line.contains("Exception")) {
          System.out.println("  " + line);
        }
      }
    }
    if (p.waitFor() != 0 || !result.containsKey("phase")) {
      throw new IllegalStateException("phase " + args[0] + " failed (exit " + p.exitValue() + ")");
    }
    return result;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The JVM options in {@code bin/<file>} ({@code backfill-jvm.options}, {@code
   * stream-jvm.options}), read as {@code bin/livemetrics} reads them, so a phase runs in the JVM
   * that command gives.
   */
  static List<String> optionsFile(String file) throws java.io.IOException {
    List<String> options = new ArrayList<>();
    for (String line : java.nio.file.Files.readAllLines(Path.of("bin", file))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        options.addAll(List.of(line.trim().split("\\s+")));
      }
    }
    return options;
  }
}
