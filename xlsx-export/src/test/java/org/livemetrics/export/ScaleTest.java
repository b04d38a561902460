package org.livemetrics.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.export.Workbooks.number;
import static org.livemetrics.export.Workbooks.summaryValue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A 24-hour stream's report (1,440 minutes × 10 countries × 5 device types) written in a JVM with a
 * 32 MB heap. Prints the time and peak heap (see the -output.txt surefire report); asserts that it
 * fits and is right, not how fast it is.
 */
public class ScaleTest {
  static final String HEAP = "-Xmx32m";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aDayOfMinutesInASmallHeap() throws Exception {
    Path report = tmp.getRoot().toPath().resolve("day.xlsx");
    Process p = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        ScaleRun.class.getName(), report.toString())
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(output, 0, p.waitFor());
    System.out.println("24-hour report, " + HEAP + ": " + output.trim());

    try (XSSFWorkbook wb = new XSSFWorkbook(new File(report.toString()))) {
      XSSFSheet minutes = wb.getSheet("Concurrent users");
      assertEquals(DayLongStream.MINUTES, minutes.getLastRowNum());
      long views = 0;
      int peakMinute = 0;
      for (int m = 0; m < DayLongStream.MINUTES; m++) {
        views += DayLongStream.views(m);
        if (DayLongStream.ccu(m) > DayLongStream.ccu(peakMinute)) {
          peakMinute = m;
        }
        assertEquals(DayLongStream.ccu(m), number(minutes.getRow(m + 1).getCell(1)), 0);
      }
      assertEquals(1_000, DayLongStream.ccu(peakMinute)); // around noon
      assertEquals(views, number(summaryValue(wb, "Views")), 0);
      assertEquals(1_000, number(summaryValue(wb, "Peak concurrent viewers (ccu)")), 0);
      assertEquals(Workbooks.utc("2020-02-14T00:00").plusMinutes(peakMinute),
          summaryValue(wb, "Peak minute (UTC)").getLocalDateTimeCellValue());
      assertEquals(List.of(10, 5), List.of(wb.getSheet("Views by Geography").getLastRowNum(),
          wb.getSheet("Views by Device Type").getLastRowNum()));
      // A label every two hours: twelve on the time axis.
      String axis = Workbooks.charts(minutes).get(0).getCTChart().getPlotArea().getCatAxArray(0)
          .xmlText();
      assertTrue(axis, axis.contains("tickLblSkip val=\"120\""));
      // Two days of minutes or fewer: the chart carries its values for viewers that do not
      // recalculate.
      assertEquals(DayLongStream.MINUTES, Workbooks.charts(minutes).get(0).getCTChart()
          .getPlotArea().getLineChartArray(0).getSerArray(0).getVal().getNumRef().getNumCache()
          .sizeOfPtArray());
    }
  }
}
