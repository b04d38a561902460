package org.livemetrics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What else the machine did while a phase ran, so a figure taken on a busy machine can be told
 * apart: the 1-minute load average (which counts the benchmark's own threads too), and the CPU
 * time all processes used ({@code /proc/stat}), from which the driver subtracts the phase's own.
 */
final class MachineLoad {
  /** Linux reports /proc/stat in USER_HZ, 100 per second on every common platform. */
  private static final double TICKS_PER_SECOND = 100;

  private MachineLoad() {}

  /** The 1-minute load average, or -1 where there is no /proc/loadavg. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU seconds all processes have used since boot (not idle, not waiting for I/O), or -1. */
  static double busyCpuSeconds() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long busy = 0;
          // user nice system idle iowait irq softirq steal ...: all but idle (4) and iowait (5)
          for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            if (i != 4 && i != 5) {
              busy += Long.parseLong(f[i]);
            }
          }
          return busy / TICKS_PER_SECOND;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** CPU seconds a process has used so far (0 if the platform does not tell). */
  static double cpuSeconds(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
  }
}
