package org.livemetrics.export;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.livemetrics.schemas.Countries;
import org.livemetrics.export.Charts.Place;
import org.livemetrics.export.Charts.TableChart;
import org.livemetrics.export.ReportData.BreakdownRow;
import org.livemetrics.export.ReportData.MinuteRow;
import org.livemetrics.export.SheetTable.Styles;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lays out the four sheets of the report from {@link ReportData}. Rows stream through SXSSF, which
 * keeps {@link #ROW_WINDOW} rows in memory and the rest in a temporary file until the workbook is
 * written; closing the workbook deletes those files.
 */
final class ReportWorkbook {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWorkbook.class);
  static final String SUMMARY = "Summary";
  static final String CONCURRENT_USERS = "Concurrent users";
  static final String DEVICE_TYPES = "Views by Device Type";
  static final String GEOGRAPHY = "Views by Geography";

  /** The first cell of the Summary's quality-of-service heading row. */
  static final String QOS_HEADING = "Quality of service";
  /** A value the query layer has nothing to compute from. */
  static final String NO_DATA = "no data";

  /** The Summary's definitions wrap past this many characters. */
  static final int DEFINITION_CHARS = 100;

  static final int ROW_WINDOW = 100;
  /** The geography chart shows the countries with the most views; the sheet lists all. */
  static final int CHARTED_COUNTRIES = 20;

  private static final double SECONDS_PER_DAY = 86_400;
  private static final int CHART_WIDTH_COLUMNS = 10;
  private static final int CHART_HEIGHT_ROWS = 22;

  private ReportWorkbook() {}

  /**
   * Writes the workbook to {@code out}, which stays open. Stored text a cell cannot hold is
   * altered ({@link CellText}), counted in the Summary and logged, rather than failing the export.
   */
  static void write(ReportData stored, OutputStream out) throws IOException {
    CellText text = new CellText();
    ReportData data = cleaned(stored, text);
    if (text.altered() > 0) {
      LOG.warn("XLSX report of video {} of account {}: {} stored text value(s) altered to fit a"
          + " cell (control characters or unpaired surrogates replaced by U+FFFD, over {}"
          + " characters cut)", data.video(), data.account(), text.altered(), CellText.MAX_CHARS);
    }
    try (SXSSFWorkbook workbook = new SXSSFWorkbook(ROW_WINDOW)) {
      Styles styles = new Styles(workbook);
      summary(workbook, styles, data, text.altered());
      concurrentUsers(workbook, styles, data.minutes());
      deviceTypes(workbook, styles, data.deviceTypes());
      geography(workbook, styles, data.countries());
      workbook.write(out);
    } // close() also disposes of SXSSF's temporary files
  }

  // ---------------------------------------------------------------------------------------------
  // Summary: one labelled value per row, with what the number means.

  /** The report's data with every stored string as a cell can hold it, counted in {@code text}. */
  private static ReportData cleaned(ReportData d, CellText text) {
    return new ReportData(text.clean(d.account()), text.clean(d.video()), d.firstMinute(),
        d.lastMinute(), d.fromDefaulted(), d.toDefaulted(), d.generatedAt(), d.minutes(), d.peak(),
        d.totals(), cleaned(d.deviceTypes(), text), cleaned(d.countries(), text), d.qos());
  }

  private static List<BreakdownRow> cleaned(List<BreakdownRow> rows, CellText text) {
    List<BreakdownRow> out = new ArrayList<>(rows.size());
    for (BreakdownRow r : rows) {
      out.add(new BreakdownRow(text.clean(r.key()), r.views(), r.uniqueDevices(),
          r.secondsViewed()));
    }
    return out;
  }

  private static void summary(SXSSFWorkbook workbook, Styles styles, ReportData d, int altered) {
    SheetTable t = new SheetTable(workbook, SUMMARY, styles, "Item", "Value", "Definition");
    t.wrap(2, DEFINITION_CHARS);
    text(t, "Account", d.account(), "");
    text(t, "Video", d.video(), "");
    if (!d.hasData()) {
      text(t, "Data", "none", "No data for video " + d.video() + " of account " + d.account()
          + " in this range: the other sheets are empty");
    }
    minute(t, styles, "First minute (UTC)", d.firstMinute(), !d.fromDefaulted()
        ? "Start of the requested range"
        : d.hasData() ? "The first minute with data (no start requested)"
        : "Start of the API's default range, 32 days before its end");
    minute(t, styles, "Last minute (UTC)", d.lastMinute(), !d.toDefaulted()
        ? "The last minute of the requested range (included)"
        : d.hasData() ? "The last minute with data (no end requested)"
        : "Now, the end of the API's default range");
    if (d.peak() != null) {
      number(t, styles.count, "Peak " + lower(label(Metric.CCU)) + " (" + Metric.CCU.apiName() + ")", d.peak().ccu(),
          Metric.CCU.description() + "; the highest 1-minute value");
      minute(t, styles, "Peak minute (UTC)", d.peak().minute(),
          "The first minute with the peak " + Metric.CCU.apiName());
    } else {
      text(t, "Peak " + lower(label(Metric.CCU)) + " (" + Metric.CCU.apiName() + ")", NO_DATA, Metric.CCU.description());
    }
    number(t, styles.count, label(Metric.FINGERPRINT_COUNT), d.totals().uniqueDevices(),
        Metric.FINGERPRINT_COUNT.description() + ", over the whole range");
    number(t, styles.count, label(Metric.VIDEO_VIEW), d.totals().views(), Metric.VIDEO_VIEW.description());
    number(t, styles.count, label(Metric.VIDEO_IMPRESSION), d.totals().impressions(),
        Metric.VIDEO_IMPRESSION.description());
    BigDecimal seconds = d.totals().secondsViewed();
    number(t, styles.seconds, label(Metric.VIDEO_SECONDS_VIEWED), seconds.doubleValue(),
        Metric.VIDEO_SECONDS_VIEWED.description());
    number(t, styles.duration, "Time viewed (h:mm:ss)", seconds.doubleValue() / SECONDS_PER_DAY,
        "Seconds viewed as hours, minutes and seconds");
    if (d.totals().views() > 0) {
      number(t, styles.duration, "Average viewing time per view (h:mm:ss)",
          seconds.doubleValue() / d.totals().views() / SECONDS_PER_DAY,
          "Seconds viewed / views");
    } else {
      text(t, "Average viewing time per view (h:mm:ss)", "no views", "Seconds viewed / views");
    }
    number(t, styles.count, label(Metric.ALIVE_SS_AD_START), d.totals().adStarts(),
        Metric.ALIVE_SS_AD_START.description());
    qos(t, styles, d);
    if (altered > 0) {
      number(t, styles.count, "Text values altered", altered, "Text from the store that a"
          + " workbook cannot hold as it is: control characters and unpaired UTF-16 surrogates"
          + " are shown as \uFFFD, values over 32,767 characters are cut (ending in \u2026)");
    }
    Row generated = t.nextRow();
    t.text(generated, 0, "Generated (UTC)");
    t.dateTime(generated, 1, LocalDateTime.ofInstant(d.generatedAt(), ZoneOffset.UTC),
        styles.timestamp);
    // A list of labelled values: nothing to filter.
    t.finish(false);
  }

  /**
   * The quality-of-service block: a heading row, then one row per {@link ReportData#SUMMARY_QOS}
   * metric with its described label and a format from its unit. A value the rows cannot give (no
   * QoS rows at all, or none with startups, latencies or playback) is a "no data" text cell, so
   * it never reads as a measured zero.
   */
  private static void qos(SheetTable t, Styles styles, ReportData d) {
    Row heading = t.nextRow();
    t.heading(heading, 0, QOS_HEADING);
    t.heading(heading, 1, "");
    t.heading(heading, 2, d.qos().hasRows()
        ? "Viewer QoS of video " + d.video() + " on every client platform, over the whole range"
        : "No viewer QoS data for video " + d.video() + " of account " + d.account()
            + " in this range");
    for (QosMetric m : ReportData.SUMMARY_QOS) {
      Number value = d.qos().value(m);
      String definition = m.description() + " (" + m.apiName() + ")";
      if (value == null) {
        text(t, label(m), NO_DATA, definition);
      } else {
        number(t, qosStyle(styles, m), label(m), value.doubleValue(), definition);
      }
    }
  }

  /** The cell format of a QoS metric's unit. */
  private static CellStyle qosStyle(Styles styles, QosMetric m) {
    return switch (m.unit()) {
      case COUNT -> styles.count;
      case RATIO -> styles.finePercent;
      case MILLISECONDS -> styles.milliseconds;
      default -> throw new IllegalStateException(m.apiName() + ": the Summary has no format for "
          + m.unit().text());
    };
  }

  /** A QoS metric's label in the report, as its family's description declares it. */
  static String label(QosMetric m) {
    String label = m.described().reportLabel();
    if (label == null) {
      throw new IllegalStateException(m.apiName() + " has no report label in its description");
    }
    return label;
  }

  private static void text(SheetTable t, String label, String value, String definition) {
    Row row = t.nextRow();
    t.text(row, 0, label);
    t.text(row, 1, value);
    t.text(row, 2, definition);
  }

  private static void number(SheetTable t, CellStyle style, String label, double value,
      String definition) {
    Row row = t.nextRow();
    t.text(row, 0, label);
    t.number(row, 1, value, style);
    t.text(row, 2, definition);
  }

  private static void minute(SheetTable t, Styles styles, String label, long epochMs,
      String definition) {
    Row row = t.nextRow();
    t.text(row, 0, label);
    t.dateTime(row, 1, utc(epochMs), styles.minute);
    t.text(row, 2, definition);
  }

  /** A metric's label in the report, as its family's description declares it. */
  static String label(Metric m) {
    String label = m.described().reportLabel();
    if (label == null) {
      throw new IllegalStateException(m.apiName() + " has no report label in its description");
    }
    return label;
  }

  private static String lower(String label) {
    return label.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + label.substring(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrent users: the 1-minute timeseries and its line chart.

  private static void concurrentUsers(SXSSFWorkbook workbook, Styles styles,
      List<MinuteRow> minutes) {
    SheetTable t = new SheetTable(workbook, CONCURRENT_USERS, styles, "Minute (UTC)",
        label(Metric.CCU) + " (" + Metric.CCU.apiName() + ")", label(Metric.FINGERPRINT_COUNT));
    List<Double> times = new ArrayList<>(minutes.size());
    List<Double> ccu = new ArrayList<>(minutes.size());
    for (MinuteRow m : minutes) {
      Row row = t.nextRow();
      LocalDateTime minute = utc(m.minute());
      t.dateTime(row, 0, minute, styles.minute);
      t.number(row, 1, m.ccu(), styles.count);
      t.number(row, 2, m.uniqueDevices(), styles.count);
      times.add(DateUtil.getExcelDate(minute));
      ccu.add((double) m.ccu());
    }
    t.finish(true);
    if (minutes.isEmpty()) {
      return;
    }
    long spanMs = minutes.get(minutes.size() - 1).minute() - minutes.get(0).minute();
    // Within a day the time says it all; longer streams need the date too.
    String axisFormat = spanMs < 86_400_000L ? "hh:mm" : Styles.MINUTE_FORMAT;
    Charts.line(
        new TableChart(t, "Concurrent viewers per minute (UTC)", "Minute (UTC)",
            label(Metric.CCU), Metric.CCU.apiName(), 1, besides(t)),
        ChartRange.numbers(t.name(), 1, 0, times, Styles.MINUTE_FORMAT),
        ChartRange.numbers(t.name(), 1, 1, ccu, Styles.COUNT_FORMAT),
        axisFormat);
  }

  // ---------------------------------------------------------------------------------------------
  // Views by device type and by country: events totals and a bar chart of views.

  private static void deviceTypes(SXSSFWorkbook workbook, Styles styles,
      List<BreakdownRow> rows) {
    SheetTable t = new SheetTable(workbook, DEVICE_TYPES, styles, "Device type",
        label(Metric.VIDEO_VIEW), label(Metric.FINGERPRINT_COUNT),
        label(Metric.VIDEO_SECONDS_VIEWED), "Share of views");
    long totalViews = rows.stream().mapToLong(BreakdownRow::views).sum();
    List<String> labels = new ArrayList<>();
    List<Double> views = new ArrayList<>();
    for (BreakdownRow r : rows) {
      Row row = t.nextRow();
      t.text(row, 0, r.key());
      breakdownValues(t, styles, row, 1, r, totalViews);
      labels.add(r.key());
      views.add((double) r.views());
    }
    t.finish(true);
    if (rows.isEmpty()) {
      return;
    }
    Charts.bars(
        new TableChart(t, "Views by device type", "Device type", "Views", "Views", 1,
            besides(t)),
        ChartRange.labels(t.name(), 1, 0, labels),
        ChartRange.numbers(t.name(), 1, 1, views, Styles.COUNT_FORMAT));
  }

  private static void geography(SXSSFWorkbook workbook, Styles styles,
      List<BreakdownRow> rows) {
    SheetTable t = new SheetTable(workbook, GEOGRAPHY, styles, "Country code (ISO)", "Country",
        label(Metric.VIDEO_VIEW), label(Metric.FINGERPRINT_COUNT),
        label(Metric.VIDEO_SECONDS_VIEWED), "Share of views");
    long totalViews = rows.stream().mapToLong(BreakdownRow::views).sum();
    List<String> names = new ArrayList<>();
    List<Double> views = new ArrayList<>();
    for (BreakdownRow r : rows) {
      Row row = t.nextRow();
      String name = CellText.fitted(Countries.displayName(r.key()));
      t.text(row, 0, r.key());
      t.text(row, 1, name);
      breakdownValues(t, styles, row, 2, r, totalViews);
      if (names.size() < CHARTED_COUNTRIES) { // rows come most views first
        names.add(name);
        views.add((double) r.views());
      }
    }
    t.finish(true);
    if (rows.isEmpty()) {
      return;
    }
    String title = rows.size() > CHARTED_COUNTRIES
        ? "Views by country (top " + CHARTED_COUNTRIES + ")"
        : "Views by country";
    Charts.bars(
        new TableChart(t, title, "Country", "Views", "Views", 2, besides(t)),
        ChartRange.labels(t.name(), 1, 1, names),
        ChartRange.numbers(t.name(), 1, 2, views, Styles.COUNT_FORMAT));
  }

  /** Views, unique devices, seconds viewed and share of views from {@code column} on. */
  private static void breakdownValues(SheetTable t, Styles styles, Row row, int column,
      BreakdownRow r, long totalViews) {
    t.number(row, column, r.views(), styles.count);
    t.number(row, column + 1, r.uniqueDevices(), styles.count);
    t.number(row, column + 2, r.secondsViewed().doubleValue(), styles.seconds);
    // Of the views on this sheet, so the shares add up to 100%.
    t.number(row, column + 3, totalViews == 0 ? 0 : (double) r.views() / totalViews,
        styles.percent);
  }

  /** Right of the table, one empty column apart, below the frozen header. */
  private static Place besides(SheetTable t) {
    int col = t.columns() + 1;
    return new Place(col, 1, col + CHART_WIDTH_COLUMNS, 1 + CHART_HEIGHT_ROWS);
  }

  private static LocalDateTime utc(long epochMs) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
  }
}
