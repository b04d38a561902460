package org.livemetrics.export;

import org.livemetrics.query.Rows;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.livemetrics.query.Rows.t;
import static org.livemetrics.export.Workbooks.charts;
import static org.livemetrics.export.Workbooks.number;
import static org.livemetrics.export.Workbooks.summaryRow;
import static org.livemetrics.export.Workbooks.summaryValue;
import static org.livemetrics.export.Workbooks.texts;
import static org.livemetrics.export.Workbooks.utc;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryException;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTAxDataSource;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTBarChart;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTBarSer;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTLineChart;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTLineSer;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTNumData;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTPlotArea;
import org.openxmlformats.schemas.drawingml.x2006.chart.STBarDir;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.CTPane;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.STPaneState;

/**
 * The report of {@link SampleStream}, read back with XSSF: layout, every value (worked out by hand
 * in the comments, from the table in {@code SampleStream}), formats, frozen headers, filters,
 * column widths and charts.
 */
public class XlsxReportTest {
  private static final double EXACT = 0;
  private static final double SECONDS_PER_DAY = 86_400;

  private static XSSFWorkbook wholeStream;

  @BeforeClass
  public static void writeWholeStream() throws IOException {
    wholeStream = Workbooks.report(SampleStream.store(), "5555", null, null);
  }

  @Test
  public void fourSheetsInOrder() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < wholeStream.getNumberOfSheets(); i++) {
      names.add(wholeStream.getSheetName(i));
    }
    assertEquals(List.of("Summary", "Concurrent users", "Views by Device Type",
        "Views by Geography"), names);
  }

  @Test
  public void headers() {
    assertEquals(List.of("Item", "Value", "Definition"),
        texts(wholeStream.getSheet("Summary").getRow(0)));
    assertEquals(List.of("Minute (UTC)", "Concurrent viewers (ccu)", "Unique devices"),
        texts(wholeStream.getSheet("Concurrent users").getRow(0)));
    assertEquals(List.of("Device type", "Views", "Unique devices", "Seconds viewed",
        "Share of views"), texts(wholeStream.getSheet("Views by Device Type").getRow(0)));
    assertEquals(List.of("Country code (ISO)", "Country", "Views", "Unique devices",
        "Seconds viewed", "Share of views"),
        texts(wholeStream.getSheet("Views by Geography").getRow(0)));
  }

  @Test
  public void summaryOfTheWholeStream() {
    XSSFWorkbook wb = wholeStream;
    assertEquals("1234", summaryValue(wb, "Account").getStringCellValue());
    assertEquals("5555", summaryValue(wb, "Video").getStringCellValue());
    // The first and last minutes with data of video 5555 (account 9999's 09:59 does not count).
    assertEquals(utc("2020-02-15T10:00"),
        summaryValue(wb, "First minute (UTC)").getLocalDateTimeCellValue());
    assertEquals(utc("2020-02-15T10:03"),
        summaryValue(wb, "Last minute (UTC)").getLocalDateTimeCellValue());
    // Per-minute sessions 10, 16, (none), 8: the peak is 16, at 10:01.
    assertEquals(16, number(summaryValue(wb, "Peak concurrent viewers (ccu)")), EXACT);
    assertEquals(utc("2020-02-15T10:01"),
        summaryValue(wb, "Peak minute (UTC)").getLocalDateTimeCellValue());
    // Devices 1-6 ∪ 4-12 ∪ 11-15 = 1-15.
    assertEquals(15, number(summaryValue(wb, "Unique devices")), EXACT);
    assertEquals(10 + 5 + 2, number(summaryValue(wb, "Views")), EXACT);
    assertEquals(12 + 6 + 3, number(summaryValue(wb, "Impressions")), EXACT);
    // 300.000 + 600.500 + 420.250 s.
    assertEquals(1320.75, number(summaryValue(wb, "Seconds viewed")), EXACT);
    assertEquals(1320.75 / SECONDS_PER_DAY,
        number(summaryValue(wb, "Time viewed (h:mm:ss)")), 1e-15);
    assertEquals(1320.75 / 17 / SECONDS_PER_DAY,
        number(summaryValue(wb, "Average viewing time per view (h:mm:ss)")), 1e-15);
    assertEquals(1 + 0 + 2, number(summaryValue(wb, "Ad starts")), EXACT);
    assertEquals(utc("2020-02-15T12:00"),
        summaryValue(wb, "Generated (UTC)").getLocalDateTimeCellValue());
    assertTrue(summaryRow(wb, "First minute (UTC)").getCell(2).getStringCellValue()
        .startsWith("The first minute with data"));
    // As a spreadsheet shows it. (POI's DataFormatter truncates [h]:mm:ss where Excel and
    // LibreOffice round, so durations are checked by value and format only.)
    assertEquals("1,320.750",
        new DataFormatter().formatCellValue(summaryValue(wb, "Seconds viewed")));
    for (Row row : wb.getSheet("Summary")) {
      assertFalse("a complete report has no 'Data: none' row",
          row.getCell(0).getStringCellValue().equals("Data"));
    }
  }

  @Test
  public void concurrentUsersOneRowPerMinuteWithTheGapAsZero() {
    XSSFSheet s = wholeStream.getSheet("Concurrent users");
    assertEquals(4, s.getLastRowNum());
    Object[][] expected = {
        {"2020-02-15T10:00", 10, 6}, // sessions 1-10, devices 1-6
        {"2020-02-15T10:01", 16, 9}, // sessions 5-20, devices 4-12
        {"2020-02-15T10:02", 0, 0},  // no row: the API's empty bucket
        {"2020-02-15T10:03", 8, 5}}; // sessions 18-25, devices 11-15
    for (int i = 0; i < expected.length; i++) {
      Row row = s.getRow(i + 1);
      assertEquals(utc((String) expected[i][0]), row.getCell(0).getLocalDateTimeCellValue());
      assertEquals((int) expected[i][1], number(row.getCell(1)), EXACT);
      assertEquals((int) expected[i][2], number(row.getCell(2)), EXACT);
    }
  }

  @Test
  public void viewsByDeviceTypeMostViewsFirst() {
    XSSFSheet s = wholeStream.getSheet("Views by Device Type");
    assertEquals(3, s.getLastRowNum());
    // desktop: views 6+3, devices 1-4 ∪ 4-8, seconds 200 + 400.5
    // mobile:  views 4+2, devices 5-6 ∪ 11-15, seconds 100 + 420.25
    // smart_tv: views 2, devices 9-12, seconds 200; tablet only in video 5556.
    Object[][] expected = {
        {"desktop", 9, 8, 600.5},
        {"mobile", 6, 7, 520.25},
        {"smart_tv", 2, 4, 200.0}};
    for (int i = 0; i < expected.length; i++) {
      Row row = s.getRow(i + 1);
      assertEquals(expected[i][0], row.getCell(0).getStringCellValue());
      assertEquals((int) expected[i][1], number(row.getCell(1)), EXACT);
      assertEquals((int) expected[i][2], number(row.getCell(2)), EXACT);
      assertEquals((double) expected[i][3], number(row.getCell(3)), EXACT);
      assertEquals((int) expected[i][1] / 17.0, number(row.getCell(4)), 1e-15);
    }
  }

  @Test
  public void viewsByGeographyMostViewsFirstWithNames() {
    XSSFSheet s = wholeStream.getSheet("Views by Geography");
    assertEquals(4, s.getLastRowNum());
    // US: views 5+3, devices 1-3 ∪ 2-7, seconds 150 + 300. DE and unknown tie on 2 views and
    // stay in code order; FR and JP belong to another video and another account.
    Object[][] expected = {
        {"US", "United States", 8, 7, 450.0},
        {"BR", "Brazil", 5, 3, 150.0},
        {"DE", "Germany", 2, 5, 300.5},
        {"unknown", "Unknown", 2, 5, 420.25}};
    for (int i = 0; i < expected.length; i++) {
      Row row = s.getRow(i + 1);
      assertEquals(expected[i][0], row.getCell(0).getStringCellValue());
      assertEquals(expected[i][1], row.getCell(1).getStringCellValue());
      assertEquals((int) expected[i][2], number(row.getCell(2)), EXACT);
      assertEquals((int) expected[i][3], number(row.getCell(3)), EXACT);
      assertEquals((double) expected[i][4], number(row.getCell(4)), EXACT);
      assertEquals((int) expected[i][2] / 17.0, number(row.getCell(5)), 1e-15);
    }
    DataFormatter shown = new DataFormatter();
    assertEquals("47.1%", shown.formatCellValue(s.getRow(1).getCell(5))); // 8 / 17
  }

  @Test
  public void cellFormats() {
    assertFormats(wholeStream.getSheet("Concurrent users"), "yyyy-mm-dd hh:mm", "#,##0",
        "#,##0");
    assertFormats(wholeStream.getSheet("Views by Device Type"), "General", "#,##0", "#,##0",
        "#,##0.000", "0.0%");
    assertFormats(wholeStream.getSheet("Views by Geography"), "General", "General", "#,##0",
        "#,##0", "#,##0.000", "0.0%");
    Object[][] summary = {
        {"First minute (UTC)", "yyyy-mm-dd hh:mm"},
        {"Peak concurrent viewers (ccu)", "#,##0"},
        {"Peak minute (UTC)", "yyyy-mm-dd hh:mm"},
        {"Unique devices", "#,##0"},
        {"Views", "#,##0"},
        {"Seconds viewed", "#,##0.000"},
        {"Time viewed (h:mm:ss)", "[h]:mm:ss"},
        {"Average viewing time per view (h:mm:ss)", "[h]:mm:ss"},
        {"Generated (UTC)", "yyyy-mm-dd hh:mm:ss"}};
    for (Object[] s : summary) {
      assertEquals((String) s[0], s[1],
          summaryValue(wholeStream, (String) s[0]).getCellStyle().getDataFormatString());
    }
    DataFormatter shown = new DataFormatter();
    Row big = summaryRow(thousands(), "Views");
    assertEquals("1,234,567", shown.formatCellValue(big.getCell(1)));
  }

  /** A report whose totals need thousands separators. */
  private static XSSFWorkbook thousands() {
    try {
      return Workbooks.report(new InMemoryAggregateStore(List.of(
          Rows.video("5555", "2020-02-15T10:00").sessions(1, 2).views(1_234_567).build())),
          "5555", null, null);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertFormats(XSSFSheet sheet, String... formats) {
    for (int r = 1; r <= sheet.getLastRowNum(); r++) {
      for (int c = 0; c < formats.length; c++) {
        assertEquals(sheet.getSheetName() + " row " + r + " column " + c, formats[c],
            sheet.getRow(r).getCell(c).getCellStyle().getDataFormatString());
      }
    }
  }

  @Test
  public void headerRowsFrozenAndTablesFiltered() {
    for (XSSFSheet sheet : sheets(wholeStream)) {
      CTPane pane = sheet.getCTWorksheet().getSheetViews().getSheetViewArray(0).getPane();
      assertEquals(sheet.getSheetName(), STPaneState.FROZEN, pane.getState());
      assertEquals(sheet.getSheetName(), 1.0, pane.getYSplit(), EXACT);
      assertFalse(sheet.getSheetName(), pane.isSetXSplit());
      assertEquals("A2", pane.getTopLeftCell());
    }
    assertFalse("the Summary is a list of values, not a table to filter",
        wholeStream.getSheet("Summary").getCTWorksheet().isSetAutoFilter());
    assertEquals("A1:C5", autoFilter(wholeStream.getSheet("Concurrent users")));
    assertEquals("A1:E4", autoFilter(wholeStream.getSheet("Views by Device Type")));
    assertEquals("A1:F5", autoFilter(wholeStream.getSheet("Views by Geography")));
  }

  private static String autoFilter(XSSFSheet sheet) {
    return sheet.getCTWorksheet().getAutoFilter().getRef();
  }

  @Test
  public void columnsAsWideAsTheirText() {
    DataFormatter shown = new DataFormatter();
    for (XSSFSheet sheet : sheets(wholeStream)) {
      int columns = sheet.getRow(0).getLastCellNum();
      for (int c = 0; c < columns; c++) {
        int widest = 0;
        for (Row row : sheet) {
          Cell cell = row.getCell(c);
          if (cell != null) {
            widest = Math.max(widest, shown.formatCellValue(cell).length());
          }
        }
        boolean definitions = sheet.getSheetName().equals("Summary") && c == 2;
        if (definitions) {
          // Longer definitions (playback_failure_percentage's) wrap onto a second line.
          assertTrue(widest > ReportWorkbook.DEFINITION_CHARS);
          widest = ReportWorkbook.DEFINITION_CHARS;
          for (Row row : sheet) {
            Cell cell = row.getCell(c);
            assertTrue(cell == null || cell.getCellStyle().getWrapText());
          }
        }
        int width = sheet.getColumnWidth(c);
        String where = sheet.getSheetName() + " column " + c + ": width " + width
            + " for " + widest + " characters";
        assertTrue(where, width >= (widest + 1) * 256);
        assertTrue(where, width <= (widest + 6) * 256);
      }
    }
  }

  @Test
  public void aLineChartOfCcuPerMinute() {
    XSSFSheet sheet = wholeStream.getSheet("Concurrent users");
    List<XSSFChart> charts = charts(sheet);
    assertEquals(1, charts.size());
    CTPlotArea plot = charts.get(0).getCTChart().getPlotArea();
    assertEquals(1, plot.sizeOfLineChartArray());
    assertEquals(0, plot.sizeOfBarChartArray());
    CTLineChart line = plot.getLineChartArray(0);
    assertEquals(1, line.sizeOfSerArray());
    CTLineSer ser = line.getSerArray(0);
    assertEquals("'Concurrent users'!$A$2:$A$5", ser.getCat().getNumRef().getF());
    assertEquals("'Concurrent users'!$B$2:$B$5", ser.getVal().getNumRef().getF());
    assertEquals("'Concurrent users'!$B$1", ser.getTx().getStrRef().getF());
    // The cache holds what the cells hold, for viewers that do not recalculate.
    assertEquals(List.of(10.0, 16.0, 0.0, 8.0), cached(ser.getVal().getNumRef().getNumCache()));
    assertTrue("a visible line needs an explicit colour for LibreOffice",
        ser.getSpPr().getLn().isSetSolidFill());
    assertTrue("time on a category axis", plot.sizeOfCatAxArray() == 1
        && plot.sizeOfDateAxArray() == 0);
    assertEquals("hh:mm", plot.getCatAxArray(0).getNumFmt().getFormatCode());
    assertEquals(List.of(), charts(wholeStream.getSheet("Summary")));
  }

  @Test
  public void barChartsOfViewsByDeviceTypeAndCountry() {
    CTBarSer devices = onlyBarSeries(wholeStream.getSheet("Views by Device Type"));
    assertEquals("'Views by Device Type'!$A$2:$A$4", devices.getCat().getStrRef().getF());
    assertEquals("'Views by Device Type'!$B$2:$B$4", devices.getVal().getNumRef().getF());
    assertEquals(List.of(9.0, 6.0, 2.0), cached(devices.getVal().getNumRef().getNumCache()));
    assertEquals(List.of("desktop", "mobile", "smart_tv"), cachedLabels(devices.getCat()));

    CTBarSer countries = onlyBarSeries(wholeStream.getSheet("Views by Geography"));
    assertEquals("'Views by Geography'!$B$2:$B$5", countries.getCat().getStrRef().getF());
    assertEquals("'Views by Geography'!$C$2:$C$5", countries.getVal().getNumRef().getF());
    assertEquals(List.of("United States", "Brazil", "Germany", "Unknown"),
        cachedLabels(countries.getCat()));
  }

  private static CTBarSer onlyBarSeries(XSSFSheet sheet) {
    List<XSSFChart> charts = charts(sheet);
    assertEquals(sheet.getSheetName(), 1, charts.size());
    CTPlotArea plot = charts.get(0).getCTChart().getPlotArea();
    assertEquals(0, plot.sizeOfLineChartArray());
    assertEquals(1, plot.sizeOfBarChartArray());
    CTBarChart bars = plot.getBarChartArray(0);
    assertEquals(STBarDir.COL, bars.getBarDir().getVal());
    assertEquals(1, bars.sizeOfSerArray());
    CTBarSer ser = bars.getSerArray(0);
    assertTrue("visible bars need an explicit fill for LibreOffice",
        ser.getSpPr().isSetSolidFill());
    return ser;
  }

  @Test
  public void theGeographyChartShowsTheTwentyCountriesWithTheMostViews() throws IOException {
    List<org.livemetrics.schemas.MinuteAggregate> rows = new ArrayList<>();
    rows.add(Rows.video("5555", "2020-02-15T10:00").sessions(1, 5).views(1).build());
    String[] codes = {"AR", "AT", "AU", "BE", "BR", "CA", "CH", "CL", "CN", "CO", "DE", "DK",
        "ES", "FI", "FR", "GB", "IE", "IN", "IT", "JP", "MX", "NL", "NO", "PL", "SE"};
    for (int i = 0; i < codes.length; i++) {
      rows.add(Rows.country("5555", codes[i], "2020-02-15T10:00").views(100 + i).build());
    }
    XSSFWorkbook wb = Workbooks.report(new InMemoryAggregateStore(rows), "5555", null, null);
    XSSFSheet sheet = wb.getSheet("Views by Geography");
    assertEquals(25, sheet.getLastRowNum());
    assertEquals("SE", sheet.getRow(1).getCell(0).getStringCellValue()); // 124 views
    CTBarSer ser = onlyBarSeries(sheet);
    // Rows 2-21: SE (124 views) down to CA (105); AR, AT, AU, BE and BR (100-104) are left out.
    assertEquals("'Views by Geography'!$C$2:$C$21", ser.getVal().getNumRef().getF());
    List<Double> expected = new ArrayList<>();
    for (int views = 124; views > 104; views--) {
      expected.add((double) views);
    }
    assertEquals(expected, cached(ser.getVal().getNumRef().getNumCache()));
    assertEquals("Views by country (top 20)", charts(sheet).get(0).getTitleText().getString());
  }

  @Test
  public void anExplicitRangeCoversItsWholeMinutes() throws IOException {
    // 10:01:30 floors to 10:01; 10:02:59.999 includes 10:02, which has no data: one row.
    XSSFWorkbook wb = Workbooks.report(SampleStream.store(), "5555",
        t("2020-02-15T10:01") + 30_000, t("2020-02-15T10:03") - 1);
    assertEquals(utc("2020-02-15T10:01"),
        summaryValue(wb, "First minute (UTC)").getLocalDateTimeCellValue());
    assertEquals(utc("2020-02-15T10:02"),
        summaryValue(wb, "Last minute (UTC)").getLocalDateTimeCellValue());
    assertEquals("Start of the requested range",
        summaryRow(wb, "First minute (UTC)").getCell(2).getStringCellValue());
    assertEquals(16, number(summaryValue(wb, "Peak concurrent viewers (ccu)")), EXACT);
    assertEquals(9, number(summaryValue(wb, "Unique devices")), EXACT); // devices 4-12
    assertEquals(5, number(summaryValue(wb, "Views")), EXACT);
    assertEquals(6, number(summaryValue(wb, "Impressions")), EXACT);
    assertEquals(600.5, number(summaryValue(wb, "Seconds viewed")), EXACT);
    assertEquals(0, number(summaryValue(wb, "Ad starts")), EXACT);

    XSSFSheet ccu = wb.getSheet("Concurrent users");
    assertEquals(1, ccu.getLastRowNum());
    assertEquals(16, number(ccu.getRow(1).getCell(1)), EXACT);
    XSSFSheet devices = wb.getSheet("Views by Device Type");
    assertEquals(List.of("desktop", "smart_tv"), column(devices, 0));
    assertEquals(3, number(devices.getRow(1).getCell(1)), EXACT);
    assertEquals(0.6, number(devices.getRow(1).getCell(4)), 1e-15); // 3 of 5 views
    XSSFSheet countries = wb.getSheet("Views by Geography");
    assertEquals(List.of("US", "DE"), column(countries, 0));
    assertEquals(6, number(countries.getRow(1).getCell(3)), EXACT); // US devices 2-7
  }

  @Test
  public void fromAloneRunsToTheLastMinuteWithData() throws IOException {
    XSSFWorkbook wb = Workbooks.report(SampleStream.store(), "5555", t("2020-02-15T10:01"),
        null);
    assertEquals(utc("2020-02-15T10:03"),
        summaryValue(wb, "Last minute (UTC)").getLocalDateTimeCellValue());
    assertEquals(12, number(summaryValue(wb, "Unique devices")), EXACT); // 4-12 ∪ 11-15
    assertEquals(7, number(summaryValue(wb, "Views")), EXACT);
    assertEquals(3, wb.getSheet("Concurrent users").getLastRowNum()); // 10:01, 10:02, 10:03
  }

  @Test
  public void anUnknownVideoGivesAnEmptyReportThatSaysSo() throws IOException {
    XSSFWorkbook wb = Workbooks.report(SampleStream.store(), "7777", null, null);
    Row data = summaryRow(wb, "Data");
    assertEquals("none", data.getCell(1).getStringCellValue());
    assertEquals("No data for video 7777 of account 1234 in this range: the other sheets are "
        + "empty", data.getCell(2).getStringCellValue());
    // The API's default range: 32 days up to now.
    assertEquals(utc("2020-01-14T12:00"),
        summaryValue(wb, "First minute (UTC)").getLocalDateTimeCellValue());
    assertEquals(utc("2020-02-15T12:00"),
        summaryValue(wb, "Last minute (UTC)").getLocalDateTimeCellValue());
    assertEquals("no data",
        summaryValue(wb, "Peak concurrent viewers (ccu)").getStringCellValue());
    assertEquals(0, number(summaryValue(wb, "Views")), EXACT);
    assertEquals("no views",
        summaryValue(wb, "Average viewing time per view (h:mm:ss)").getStringCellValue());
    for (XSSFSheet sheet : sheets(wb).subList(1, 4)) {
      assertEquals(sheet.getSheetName(), 0, sheet.getLastRowNum()); // the header alone
      assertEquals(sheet.getSheetName(), List.of(), charts(sheet));
      assertTrue(sheet.getCTWorksheet().isSetAutoFilter());
    }
  }

  @Test
  public void badInputNamesTheParameter() {
    try {
      Workbooks.report(SampleStream.store(), "5555", t("2020-02-15T10:03"),
          t("2020-02-15T10:00"));
      fail();
    } catch (QueryException e) {
      assertEquals("to", e.parameter());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void aRangeLongerThanTheEnginesPointLimitIsRefusedBeforeWriting() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      // 10:00 .. 10:03 is 4 minutes; the engine allows 3 points per series.
      XlsxReport.write(new QueryEngine(SampleStream.store(), 3), "1234", "5555",
          t("2020-02-15T10:00"), t("2020-02-15T10:03"), Workbooks.NOON, out);
      fail();
    } catch (QueryException e) {
      assertEquals("from", e.parameter());
      assertTrue(e.getMessage(), e.getMessage().contains("more than 3 minutes"));
    }
    assertEquals("nothing written", 0, out.size());
  }

  @Test
  public void temporaryFilesAreDeleted() throws IOException {
    // SXSSF keeps rows beyond its window in files under java.io.tmpdir/poifiles.
    File poiFiles = new File(System.getProperty("java.io.tmpdir"), "poifiles");
    List<String> before = list(poiFiles);
    Workbooks.report(SampleStream.store(), "5555", null, null);
    assertEquals(before, list(poiFiles));
  }

  private static List<String> list(File dir) {
    String[] names = dir.list();
    List<String> sorted = names == null ? new ArrayList<>() : new ArrayList<>(List.of(names));
    sorted.sort(null);
    return sorted;
  }

  private static List<XSSFSheet> sheets(XSSFWorkbook wb) {
    List<XSSFSheet> sheets = new ArrayList<>();
    for (int i = 0; i < wb.getNumberOfSheets(); i++) {
      sheets.add(wb.getSheetAt(i));
    }
    return sheets;
  }

  private static List<String> column(XSSFSheet sheet, int c) {
    List<String> values = new ArrayList<>();
    for (int r = 1; r <= sheet.getLastRowNum(); r++) {
      values.add(sheet.getRow(r).getCell(c).getStringCellValue());
    }
    return values;
  }

  private static List<Double> cached(CTNumData cache) {
    return Arrays.stream(cache.getPtArray()).map(p -> Double.valueOf(p.getV())).toList();
  }

  private static List<String> cachedLabels(CTAxDataSource categories) {
    return Arrays.stream(categories.getStrRef().getStrCache().getPtArray())
        .map(p -> p.getV()).toList();
  }
}
