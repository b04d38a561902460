package org.livemetrics.export;

import java.time.LocalDateTime;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.PrintSetup;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.livemetrics.schemas.family.MetricFamilyDescription;

/**
 * Writes one sheet as a table, row by row: a header row that stays frozen, typed and formatted
 * cells, an autofilter over the table, and columns as wide as their widest text.
 *
 * <p>Widths come from each cell's displayed text ({@link DataFormatter}), measured as the row is
 * written, so they work on rows SXSSF has already flushed and need no fonts on the machine (POI's
 * {@code autoSizeColumn} measures with AWT font metrics, which a headless server may lack).
 */
final class SheetTable {
  /** Excel's widest column, in 1/256 of a character. */
  private static final int MAX_WIDTH = 255 * 256;

  private final SXSSFSheet sheet;
  private final Styles styles;
  private final DataFormatter formatter = new DataFormatter();
  private final int[] widestText;
  private int nextRow;

  SheetTable(SXSSFWorkbook workbook, String name, Styles styles, String... headers) {
    this.sheet = workbook.createSheet(name);
    this.styles = styles;
    this.widestText = new int[headers.length];
    Row header = nextRow();
    for (int c = 0; c < headers.length; c++) {
      text(header, c, headers[c], styles.header);
    }
  }

  SXSSFSheet sheet() {
    return sheet;
  }

  String name() {
    return sheet.getSheetName();
  }

  int columns() {
    return widestText.length;
  }

  /** Index of the row {@link #nextRow()} returns next; the header is row 0. */
  int rowIndex() {
    return nextRow;
  }

  Row nextRow() {
    return sheet.createRow(nextRow++);
  }

  void text(Row row, int column, String value) {
    text(row, column, value, styles.text);
  }

  private void text(Row row, int column, String value, CellStyle style) {
    Cell cell = row.createCell(column);
    // The report cleans (and counts) stored text first; this keeps any other text safe too.
    cell.setCellValue(CellText.fitted(value));
    cell.setCellStyle(style);
    measure(cell);
  }

  /** A header-styled cell below the header: the heading of a block of rows. */
  void heading(Row row, int column, String value) {
    text(row, column, value, styles.header);
  }

  void number(Row row, int column, double value, CellStyle style) {
    Cell cell = row.createCell(column);
    cell.setCellValue(value);
    cell.setCellStyle(style);
    measure(cell);
  }

  void dateTime(Row row, int column, LocalDateTime value, CellStyle style) {
    Cell cell = row.createCell(column);
    cell.setCellValue(value);
    cell.setCellStyle(style);
    measure(cell);
  }

  private void measure(Cell cell) {
    int c = cell.getColumnIndex();
    widestText[c] = Math.max(widestText[c], formatter.formatCellValue(cell).length());
  }

  /**
   * Freezes the header row, sizes the columns and, if asked, puts an autofilter on the header
   * over every written row. Printed, a sheet is landscape and one page wide, chart included.
   */
  void finish(boolean autoFilter) {
    sheet.createFreezePane(0, 1);
    sheet.setFitToPage(true);
    PrintSetup print = sheet.getPrintSetup();
    print.setLandscape(true);
    print.setFitWidth((short) 1);
    print.setFitHeight((short) 0);
    if (autoFilter) {
      sheet.setAutoFilter(new CellRangeAddress(0, nextRow - 1, 0, widestText.length - 1));
    }
    for (int c = 0; c < widestText.length; c++) {
      // Two characters of padding, plus room for the autofilter's drop-down button.
      int chars = widestText[c] + 2 + (autoFilter ? 2 : 0);
      sheet.setColumnWidth(c, Math.min(MAX_WIDTH, chars * 256));
    }
  }

  /** The report's cell styles, one instance each (a workbook holds at most 64,000). */
  static final class Styles {
    final CellStyle header;
    final CellStyle text;
    final CellStyle count;
    final CellStyle seconds;
    final CellStyle percent;
    /** A QoS share: buffer ratios and session shares are often under 1%. */
    final CellStyle finePercent;
    /** Milliseconds, saying so in the cell. */
    final CellStyle milliseconds;
    final CellStyle duration;
    final CellStyle minute;
    final CellStyle timestamp;

    /** Thousands separators; the API's counts are whole numbers. */
    static final String COUNT_FORMAT = "#,##0";
    /** Seconds with the API's millisecond precision. */
    static final String SECONDS_FORMAT = "#,##0.000";
    static final String PERCENT_FORMAT = "0.0%";
    static final String FINE_PERCENT_FORMAT = "0.00%";
    static final String MILLISECONDS_FORMAT =
        "#,##0\" " + MetricFamilyDescription.Unit.MILLISECONDS.text() + "\"";
    /** A duration as a fraction of a day; [h] keeps counting past 24 hours. */
    static final String DURATION_FORMAT = "[h]:mm:ss";
    static final String MINUTE_FORMAT = "yyyy-mm-dd hh:mm";
    static final String TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss";

    Styles(SXSSFWorkbook workbook) {
      Font bold = workbook.createFont();
      bold.setBold(true);
      header = workbook.createCellStyle();
      header.setFont(bold);
      header.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
      header.setFillPattern(FillPatternType.SOLID_FOREGROUND);
      header.setBorderBottom(BorderStyle.THIN);
      text = workbook.createCellStyle();
      count = formatted(workbook, COUNT_FORMAT);
      seconds = formatted(workbook, SECONDS_FORMAT);
      percent = formatted(workbook, PERCENT_FORMAT);
      finePercent = formatted(workbook, FINE_PERCENT_FORMAT);
      milliseconds = formatted(workbook, MILLISECONDS_FORMAT);
      duration = formatted(workbook, DURATION_FORMAT);
      minute = formatted(workbook, MINUTE_FORMAT);
      timestamp = formatted(workbook, TIMESTAMP_FORMAT);
    }

    private static CellStyle formatted(SXSSFWorkbook workbook, String format) {
      CellStyle style = workbook.createCellStyle();
      style.setDataFormat(workbook.createDataFormat().getFormat(format));
      return style;
    }
  }
}
