package org.livemetrics.export;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.livemetrics.query.QueryEngine;

/**
 * Writes the report of {@link DayLongStream} to a file twice, in a fresh JVM (the first run pays
 * for loading POI's classes, the second is what a running API server sees), and prints how long
 * reading and writing took and the peak heap. {@link ScaleTest} runs it with a small heap.
 */
public final class ScaleRun {
  private ScaleRun() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    StringBuilder line = new StringBuilder("rows=" + DayLongStream.MINUTES);
    for (String run : new String[] {"cold", "warm"}) {
      long started = System.nanoTime();
      ReportData data = ReportData.load(new QueryEngine(new DayLongStream()), "1234", "5555",
          null, null, Workbooks.NOON);
      long loaded = System.nanoTime();
      try (OutputStream os = Files.newOutputStream(out)) {
        ReportWorkbook.write(data, os);
      }
      long written = System.nanoTime();
      line.append(String.format(" %s_query_s=%.2f %s_write_s=%.2f", run,
          (loaded - started) / 1e9, run, (written - loaded) / 1e9));
    }
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    line.append(String.format(" peak_heap_mb=%.1f max_heap_mb=%d file_kb=%d",
        peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576,
        Files.size(out) / 1024));
    System.out.println(line);
  }
}
