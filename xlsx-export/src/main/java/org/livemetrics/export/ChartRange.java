package org.livemetrics.export;

import java.util.List;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A chart series' data: a reference to cells the report has written, carrying the values it wrote
 * there.
 *
 * <p>The reference is what a spreadsheet plots, so the chart follows the sheet. The values fill the
 * chart's cache, which viewers that do not recalculate (previewers, some converters) draw from:
 * POI's own cell-range source would read them back from the sheet, but SXSSF has already flushed
 * those rows to disk, and its array source copies them into a workbook embedded in the chart. A
 * series longer than {@link #MAX_CACHED_POINTS} is written by reference only: the cache costs about
 * 1.5 KB of heap per point while the workbook is built (measured: 2 MB for a day of minutes), and
 * LibreOffice draws from the reference (Excel is expected to recalculate it too).
 */
final class ChartRange {
  /** Two days of minutes: about 4 MB of cache at most. */
  static final int MAX_CACHED_POINTS = 2_880;

  private ChartRange() {}

  /** Numbers (or date serials) in one column, rows {@code firstRow..firstRow+values.size()-1}. */
  static XDDFNumericalDataSource<Double> numbers(String sheet, int firstRow, int column,
      List<Double> values, @Nullable String formatCode) {
    return new Numbers(reference(sheet, firstRow, column, values.size()), column, values,
        formatCode);
  }

  /** Labels in one column, rows {@code firstRow..firstRow+labels.size()-1}. */
  static XDDFCategoryDataSource labels(String sheet, int firstRow, int column,
      List<String> labels) {
    return new Labels(reference(sheet, firstRow, column, labels.size()), column, labels);
  }

  private static String reference(String sheet, int firstRow, int column, int count) {
    return new CellRangeAddress(firstRow, firstRow + count - 1, column, column)
        .formatAsString(sheet, true);
  }

  /** A cell range with the values written there: what the two kinds of source share. */
  private abstract static class CellRangeSource<T> implements XDDFDataSource<T> {
    private final String reference;
    private final int column;
    private final List<T> points;

    CellRangeSource(String reference, int column, List<T> points) {
      this.reference = reference;
      this.column = column;
      this.points = points;
    }

    @Override
    public int getPointCount() {
      return points.size();
    }

    @Override
    public @Nullable T getPointAt(int index) {
      return points.size() > MAX_CACHED_POINTS ? null : points.get(index);
    }

    @Override
    public boolean isCellRange() {
      return true; // so XDDFChart.plot does not copy the values into an embedded workbook
    }

    @Override
    public boolean isReference() {
      return true;
    }

    @Override
    public int getColIndex() {
      return column;
    }

    @Override
    public String getDataRangeReference() {
      return reference;
    }
  }

  private static final class Numbers extends CellRangeSource<Double>
      implements XDDFNumericalDataSource<Double> {
    private @Nullable String formatCode;

    Numbers(String reference, int column, List<Double> values, @Nullable String formatCode) {
      super(reference, column, values);
      this.formatCode = formatCode;
    }

    @Override
    public boolean isNumeric() {
      return true;
    }

    @Override
    public @Nullable String getFormatCode() {
      return formatCode;
    }

    @Override
    public void setFormatCode(String formatCode) {
      this.formatCode = formatCode;
    }
  }

  private static final class Labels extends CellRangeSource<String>
      implements XDDFCategoryDataSource {
    Labels(String reference, int column, List<String> labels) {
      super(reference, column, labels);
    }

    @Override
    public @Nullable String getFormatCode() {
      return null;
    }
  }
}
