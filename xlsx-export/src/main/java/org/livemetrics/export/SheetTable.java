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
import org.apache.poi.ss.usermodel.VerticalAlignment;
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
  /** Excel's tallest row. */
  private static final float MAX_ROW_POINTS = 409;

  private final SXSSFSheet sheet;
  private final Styles styles;
  private final DataFormatter formatter = new DataFormatter();
  private final int[] widestText;
  /** Per column, the widest it may grow before its text wraps; 0: as wide as its text. */
  private final int[] wrapAt;
  private int nextRow;

  SheetTable(SXSSFWorkbook workbook, String name, Styles styles, String... headers) {
    this.sheet = workbook.createSheet(name);
    this.styles = styles;
    this.widestText = new int[headers.length];
    this.wrapAt = new int[headers.length];
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

  /**
   * Text of {@code column} past {@code maxChars} wraps onto more lines instead of widening the
   * column (a long definition would otherwise shrink a printed page to fit it). Call before
   * writing rows.
   */
  void wrap(int column, int maxChars) {
    wrapAt[column] = maxChars;
  }

  void text(Row row, int column, String value) {
    if (wrapAt[column] == 0) {
      text(row, column, value, styles.text);
      return;
    }
    text(row, column, value, styles.wrappedText);
    tallEnough(row, lines(value, textPerLine(column)));
  }

  /** A header-styled cell below the header: the heading of a block of rows. */
  void heading(Row row, int column, String value) {
    text(row, column, value, styles.header);
    if (wrapAt[column] > 0) {
      tallEnough(row, lines(value, textPerLine(column)));
    }
  }

  /**
   * Characters of running text a line of a wrapped column holds. A column's width counts the
   * digit 0, and running text is narrower: measured in LibreOffice's rendering of the Summary, a
   * line held 1.5 characters per counted digit; 1.25 allows for Excel's Calibri and for text
   * heavy in capitals, so a row is at worst a line too tall, rather than cut off.
   */
  private int textPerLine(int column) {
    return wrapAt[column] * 5 / 4;
  }

  /**
   * Neither LibreOffice nor Excel fits a row's height to wrapped text on opening a file, so the
   * row says how tall it is: a line per {@link #lines}.
   */
  private void tallEnough(Row row, int lines) {
    if (lines > 1) {
      float points = Math.min(MAX_ROW_POINTS, lines * sheet.getDefaultRowHeightInPoints());
      row.setHeightInPoints(Math.max(row.getHeightInPoints(), points));
    }
  }

  /** Lines {@code text} takes wrapped at word breaks to {@code width} characters. */
  static int lines(String text, int width) {
    int lines = 1;
    int used = 0;
    for (String word : text.split(" ", -1)) {
      int length = word.length();
      int needed = used == 0 ? length : used + 1 + length;
      if (needed <= width) {
        used = needed;
        continue;
      }
      if (used > 0) {
        lines++;
      }
      // A word longer than a line is broken across lines.
      lines += Math.max(0, (length - 1) / width);
      used = length % width == 0 && length > 0 ? width : length % width;
    }
    return lines;
  }

  private void text(Row row, int column, String value, CellStyle style) {
    Cell cell = row.createCell(column);
    // The report cleans (and counts) stored text first; this keeps any other text safe too.
    cell.setCellValue(CellText.fitted(value));
    cell.setCellStyle(style);
    measure(cell);
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
      int text = wrapAt[c] > 0 ? Math.min(widestText[c], wrapAt[c]) : widestText[c];
      int chars = text + 2 + (autoFilter ? 2 : 0);
      sheet.setColumnWidth(c, Math.min(MAX_WIDTH, chars * 256));
    }
  }

  /** The report's cell styles, one instance each (a workbook holds at most 64,000). */
  static final class Styles {
    final CellStyle header;
    final CellStyle text;
    /** Text that wraps in its column ({@link SheetTable#wrap}). */
    final CellStyle wrappedText;
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
      header.setVerticalAlignment(VerticalAlignment.TOP);
      header.setWrapText(true); // in a column that wraps; the others are as wide as their text
      text = workbook.createCellStyle();
      text.setVerticalAlignment(VerticalAlignment.TOP);
      wrappedText = workbook.createCellStyle();
      wrappedText.setVerticalAlignment(VerticalAlignment.TOP);
      wrappedText.setWrapText(true);
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
      // A row with wrapped text is taller: every cell of it reads from the top.
      style.setVerticalAlignment(VerticalAlignment.TOP);
      return style;
    }
  }
}
