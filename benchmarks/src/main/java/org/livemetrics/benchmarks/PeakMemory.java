package org.livemetrics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The peak resident set size (Linux VmHWM) of a process, the figure the benchmarks report. */
final class PeakMemory {
  private PeakMemory() {}

  /** This process's. */
  static long peakRssMb() {
    return peakRssMb(Path.of("/proc/self/status"));
  }

  /** Another process's (a local server the phase started), -1 if it is gone or unreadable. */
  static long peakRssMb(long pid) {
    return peakRssMb(Path.of("/proc/" + pid + "/status"));
  }

  private static long peakRssMb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux, or the process has ended: fall through
    }
    return -1;
  }
}
