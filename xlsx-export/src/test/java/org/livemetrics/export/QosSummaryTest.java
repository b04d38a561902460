package org.livemetrics.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.export.Workbooks.number;
import static org.livemetrics.export.Workbooks.summaryRow;
import static org.livemetrics.export.Workbooks.summaryValue;
import static org.livemetrics.query.Rows.t;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.QueryEngine;

/**
 * The Summary's quality-of-service block, for the QoS rows of {@link SampleStream}: every value
 * worked out by hand from the tables there, how a spreadsheet shows it, "no data" where nothing
 * was measured, and the rows of other videos, the account-wide set and another account left out.
 */
public class QosSummaryTest {
  private static final double EXACT = 0;
  private static final double RATIO = 1e-12;

  /** The block's rows in order: heading, then the metrics. */
  private static final List<String> LABELS = List.of(
      "Quality of service",
      "Startup time, mean", "Startup time, median", "Startup time, 95th percentile",
      "Buffer ratio", "Rebuffering events",
      "Live latency, mean", "Live latency, median", "Live latency, 95th percentile",
      "Playback errors",
      "Exits before video start", "Exits before video start, share of loads",
      "Playback failures, share of attempts", "Sessions with rebuffering, share of plays");

  private static XSSFWorkbook wholeStream;

  @BeforeClass
  public static void writeWholeStream() throws IOException {
    wholeStream = Workbooks.report(SampleStream.store(), "5555", null, null);
  }

  @Test
  public void theBlockFollowsTheAudienceTotalsInItsOrder() {
    List<String> labels = new ArrayList<>();
    boolean in = false;
    for (Row row : wholeStream.getSheet("Summary")) {
      String label = row.getCell(0).getStringCellValue();
      in |= label.equals("Quality of service");
      if (label.equals("Generated (UTC)")) {
        break;
      }
      if (in) {
        labels.add(label);
      }
    }
    assertEquals(LABELS, labels);
    assertEquals("Ad starts", wholeStream.getSheet("Summary")
        .getRow(summaryRow(wholeStream, "Quality of service").getRowNum() - 1).getCell(0)
        .getStringCellValue());
    Row heading = summaryRow(wholeStream, "Quality of service");
    assertEquals("Viewer QoS of video 5555 on every client platform, over the whole range",
        heading.getCell(2).getStringCellValue());
    assertTrue("the heading looks like the header row", wholeStream.getFontAt(
        heading.getCell(0).getCellStyle().getFontIndex()).getBold());
  }

  @Test
  public void valuesOfTheWholeStream() {
    XSSFWorkbook wb = wholeStream;
    // Startups 1000, 3000 | 2000 | 500, 1500, 2500: Σ 10,500 over 6; sorted, the 3rd of 6 is
    // the smallest value with half the values at or below it, the 6th the one with 95%.
    assertEquals(1750, number(summaryValue(wb, "Startup time, mean")), EXACT);
    assertEquals(1500, number(summaryValue(wb, "Startup time, median")), EXACT);
    assertEquals(3000, number(summaryValue(wb, "Startup time, 95th percentile")), EXACT);
    // Buffering 6,000 + 0 + 4,000 of 96,000 + 50,000 + 54,000 ms.
    assertEquals(0.05, number(summaryValue(wb, "Buffer ratio")), RATIO);
    assertEquals(2 + 0 + 1, number(summaryValue(wb, "Rebuffering events")), EXACT);
    // Latencies 4000, 6000 | 8000 | 3000: Σ 21,000 over 4; sorted 3000, 4000, 6000, 8000.
    assertEquals(5250, number(summaryValue(wb, "Live latency, mean")), EXACT);
    assertEquals(4000, number(summaryValue(wb, "Live latency, median")), EXACT);
    assertEquals(8000, number(summaryValue(wb, "Live latency, 95th percentile")), EXACT);
    assertEquals(1 + 0 + 2, number(summaryValue(wb, "Playback errors")), EXACT);
    // Sessions: exits 1 + 0 + 3 of 4 + 2 + 4 loaded; failures 0 + 1 + 1 of 5 + 3 + 2
    // attempts; rebuffered 1 + 0 + 1 of 3 + 3 + 2 played.
    assertEquals(4, number(summaryValue(wb, "Exits before video start")), EXACT);
    assertEquals(0.4, number(summaryValue(wb, "Exits before video start, share of loads")),
        RATIO);
    assertEquals(0.2, number(summaryValue(wb, "Playback failures, share of attempts")), RATIO);
    assertEquals(0.25,
        number(summaryValue(wb, "Sessions with rebuffering, share of plays")), RATIO);
  }

  @Test
  public void percentagesAsPercentagesAndMillisecondsSayingSo() {
    DataFormatter shown = new DataFormatter();
    Object[][] expected = {
        {"Startup time, mean", "#,##0\" ms\"", "1,750 ms"},
        {"Startup time, 95th percentile", "#,##0\" ms\"", "3,000 ms"},
        {"Buffer ratio", "0.00%", "5.00%"},
        {"Rebuffering events", "#,##0", "3"},
        {"Live latency, mean", "#,##0\" ms\"", "5,250 ms"},
        {"Playback errors", "#,##0", "3"},
        {"Exits before video start", "#,##0", "4"},
        {"Exits before video start, share of loads", "0.00%", "40.00%"},
        {"Playback failures, share of attempts", "0.00%", "20.00%"},
        {"Sessions with rebuffering, share of plays", "0.00%", "25.00%"}};
    for (Object[] e : expected) {
      Cell cell = summaryValue(wholeStream, (String) e[0]);
      assertEquals((String) e[0], e[1], cell.getCellStyle().getDataFormatString());
      assertEquals((String) e[0], e[2], shown.formatCellValue(cell));
    }
  }

  @Test
  public void definitionsAreTheDescriptionsWithTheApiName() {
    assertEquals("Share of the sessions that loaded (IMPRESSION) that ended without a PLAY "
        + "(exits_before_video_start_percentage)",
        summaryRow(wholeStream, "Exits before video start, share of loads").getCell(2)
            .getStringCellValue());
    assertEquals("Mean PLAY startup_latency_ms (startup_time_ms_mean)",
        summaryRow(wholeStream, "Startup time, mean").getCell(2).getStringCellValue());
  }

  @Test
  public void aLongDefinitionWrapsInATallerRow() {
    // 207 characters wrap at 125 (100 digit widths of running text) into 2 lines; the 123 of
    // rebuffer_percentage's fit in one, and that row keeps the sheet's default height.
    XSSFSheet sheet = wholeStream.getSheet("Summary");
    float line = sheet.getDefaultRowHeightInPoints();
    XSSFRow failures = (XSSFRow) summaryRow(wholeStream, "Playback failures, share of attempts");
    assertEquals(207, failures.getCell(2).getStringCellValue().length());
    assertTrue(failures.getCell(2).getCellStyle().getWrapText());
    assertEquals(2 * line, failures.getHeightInPoints(), EXACT);
    XSSFRow rebuffered = (XSSFRow) summaryRow(wholeStream, "Sessions with rebuffering, share of plays");
    assertEquals(123, rebuffered.getCell(2).getStringCellValue().length());
    assertFalse(rebuffered.getCTRow().isSetHt());
  }

  @Test
  public void anExplicitRangeRollsUpOnlyItsMinutes() throws IOException {
    // 10:01 and 10:02: the android row alone.
    XSSFWorkbook wb = Workbooks.report(SampleStream.store(), "5555",
        t("2020-02-15T10:01") + 30_000, t("2020-02-15T10:03") - 1);
    assertEquals(2000, number(summaryValue(wb, "Startup time, mean")), EXACT);
    assertEquals(2000, number(summaryValue(wb, "Startup time, median")), EXACT);
    assertEquals(0, number(summaryValue(wb, "Buffer ratio")), EXACT); // 0 of 50,000 ms
    assertEquals(8000, number(summaryValue(wb, "Live latency, 95th percentile")), EXACT);
    assertEquals(0, number(summaryValue(wb, "Playback errors")), EXACT);
    assertEquals(0, number(summaryValue(wb, "Exits before video start")), EXACT);
    assertEquals(0, number(summaryValue(wb, "Exits before video start, share of loads")),
        EXACT);
    // 1 of 3 attempts, as the API rounds it (6 decimals).
    assertEquals(0.333333, number(summaryValue(wb, "Playback failures, share of attempts")),
        RATIO);
    assertEquals(0, number(summaryValue(wb, "Sessions with rebuffering, share of plays")),
        EXACT);
  }

  @Test
  public void eachAccountSeesOnlyItsOwnRowsOfTheSameVideoId() throws IOException {
    long from = t("2020-02-15T09:00");
    long to = t("2020-02-15T11:00") - 1;
    XSSFWorkbook mine = report("1234", from, to);
    // The whole stream's values: account 9999's 10:01 row (errors 100, startup 9 s) is not in.
    assertEquals(1750, number(summaryValue(mine, "Startup time, mean")), EXACT);
    assertEquals(3000, number(summaryValue(mine, "Startup time, 95th percentile")), EXACT);
    assertEquals(3, number(summaryValue(mine, "Playback errors")), EXACT);
    assertEquals(0.4, number(summaryValue(mine, "Exits before video start, share of loads")),
        RATIO);

    XSSFWorkbook theirs = report("9999", from, to);
    assertEquals("9999", summaryValue(theirs, "Account").getStringCellValue());
    assertEquals(9000, number(summaryValue(theirs, "Startup time, mean")), EXACT);
    assertEquals(9000, number(summaryValue(theirs, "Startup time, median")), EXACT);
    assertEquals(100, number(summaryValue(theirs, "Playback errors")), EXACT);
    assertEquals(7, number(summaryValue(theirs, "Exits before video start")), EXACT);
    assertEquals(1, number(summaryValue(theirs, "Exits before video start, share of loads")),
        EXACT);
    assertEquals(1, number(summaryValue(theirs, "Playback failures, share of attempts")),
        EXACT);
    assertEquals(0, number(summaryValue(theirs, "Rebuffering events")), EXACT);
    // No playback and no latency in account 9999: nothing to divide by, nothing measured.
    for (String label : List.of("Buffer ratio", "Live latency, mean", "Live latency, median",
        "Live latency, 95th percentile", "Sessions with rebuffering, share of plays")) {
      assertNoData(theirs, label);
    }
  }

  @Test
  public void withoutQosRowsEveryValueSaysNoData() throws IOException {
    // Audience data, but no viewer QoS rows at all.
    XSSFWorkbook wb = Workbooks.report(SampleStream.audienceOnly(), "5555", null, null);
    assertEquals("No viewer QoS data for video 5555 of account 1234 in this range",
        summaryRow(wb, "Quality of service").getCell(2).getStringCellValue());
    for (String label : LABELS.subList(1, LABELS.size())) {
      assertNoData(wb, label);
    }
  }

  @Test
  public void anEmptyRangeSaysNoData() throws IOException {
    // 10:02 has no row of any kind.
    XSSFWorkbook wb = Workbooks.report(SampleStream.store(), "5555", t("2020-02-15T10:02"),
        t("2020-02-15T10:03") - 1);
    assertEquals("none", summaryValue(wb, "Data").getStringCellValue());
    for (String label : LABELS.subList(1, LABELS.size())) {
      assertNoData(wb, label);
    }
  }

  @Test
  public void anUnknownVideoSaysNoData() throws IOException {
    XSSFWorkbook wb = Workbooks.report(SampleStream.store(), "7777", null, null);
    assertEquals("No viewer QoS data for video 7777 of account 1234 in this range",
        summaryRow(wb, "Quality of service").getCell(2).getStringCellValue());
    assertNoData(wb, "Playback errors");
  }

  private static void assertNoData(XSSFWorkbook wb, String label) {
    Cell cell = summaryValue(wb, label);
    assertEquals(label, CellType.STRING, cell.getCellType());
    assertEquals(label, "no data", cell.getStringCellValue());
  }

  private static XSSFWorkbook report(String account, long from, long to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    XlsxReport.write(new QueryEngine(SampleStream.store()), account, "5555", from, to,
        Workbooks.NOON, out);
    return new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()));
  }
}
