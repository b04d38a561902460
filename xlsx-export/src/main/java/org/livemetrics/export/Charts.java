package org.livemetrics.export;

import javax.xml.namespace.QName;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xddf.usermodel.PresetColor;
import org.apache.poi.xddf.usermodel.XDDFColor;
import org.apache.poi.xddf.usermodel.XDDFLineProperties;
import org.apache.poi.xddf.usermodel.XDDFSolidFillProperties;
import org.apache.poi.xddf.usermodel.chart.AxisCrossBetween;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.xmlbeans.XmlCursor;
import org.openxmlformats.schemas.drawingml.x2006.chart.CTCatAx;

/**
 * The report's native charts. SXSSF has no charts of its own; they go on the XSSF drawing
 * underneath the streamed sheet, and their data are {@link ChartRange}s.
 *
 * <p>Every series gets an explicit colour: without one LibreOffice draws the axes but no line or
 * bars. Time runs on a category axis with a time number format: a date axis would put a day's
 * per-minute points into one.
 */
final class Charts {
  /** Where a chart sits, in cells: columns {@code col1..col2}, rows {@code row1..row2}. */
  record Place(int col1, int row1, int col2, int row2) {}

  private static final XDDFColor SERIES_COLOR = XDDFColor.from(PresetColor.STEEL_BLUE);

  /** Steps between labelled minutes, so an axis of any length has a dozen labels or fewer. */
  private static final int[] LABEL_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720,
      1_440, 2_880, 4_320, 10_080};
  private static final int MAX_LABELS = 12;
  private static final String CHART_NAMESPACE =
      "http://schemas.openxmlformats.org/drawingml/2006/chart";

  private Charts() {}

  /**
   * One line, no markers: a value per category (here: per minute). The axis asks for a label
   * every so many minutes ({@code tickLblSkip}); LibreOffice ignores that and picks its own
   * interval, so the labels are also turned 45 degrees, or a day's would print on top of each
   * other.
   */
  static XSSFChart line(TableChart spec, XDDFDataSource<?> categories,
      XDDFNumericalDataSource<Double> values, String categoryFormat) {
    XSSFChart chart = newChart(spec);
    XDDFCategoryAxis x = chart.createCategoryAxis(AxisPosition.BOTTOM);
    XDDFValueAxis y = valueAxis(chart, spec);
    x.setTitle(spec.categoryTitle());
    CTCatAx axis = chart.getCTChart().getPlotArea().getCatAxArray(0);
    // The axis' own label format, not the cells' (which carry the date too).
    if (!axis.isSetNumFmt()) {
      axis.addNewNumFmt();
    }
    axis.getNumFmt().setFormatCode(categoryFormat);
    axis.getNumFmt().setSourceLinked(false);
    skipLabels(axis, labelStep(categories.getPointCount()));
    x.getOrAddTextProperties(); // creates the axis' text body
    axis.getTxPr().getBodyPr().setRot(-45 * 60_000); // degrees in 1/60,000
    XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, x, y);
    data.setVaryColors(false);
    XDDFLineChartData.Series series = (XDDFLineChartData.Series) data.addSeries(categories,
        values);
    title(series, spec);
    series.setSmooth(false);
    series.setMarkerStyle(MarkerStyle.NONE);
    XDDFLineProperties line = new XDDFLineProperties(new XDDFSolidFillProperties(SERIES_COLOR));
    line.setWidth(1.5);
    series.setLineProperties(line);
    chart.plot(data);
    return chart;
  }

  /** Vertical bars, one per category. */
  static XSSFChart bars(TableChart spec, XDDFDataSource<?> categories,
      XDDFNumericalDataSource<Double> values) {
    XSSFChart chart = newChart(spec);
    XDDFCategoryAxis x = chart.createCategoryAxis(AxisPosition.BOTTOM);
    XDDFValueAxis y = valueAxis(chart, spec);
    y.setCrossBetween(AxisCrossBetween.BETWEEN);
    x.setTitle(spec.categoryTitle());
    XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, x, y);
    data.setBarDirection(BarDirection.COL);
    data.setVaryColors(false);
    XDDFChartData.Series series = data.addSeries(categories, values);
    title(series, spec);
    series.setFillProperties(new XDDFSolidFillProperties(SERIES_COLOR));
    chart.plot(data);
    return chart;
  }

  private static XSSFChart newChart(TableChart spec) {
    spec.table().sheet().createDrawingPatriarch();
    XSSFDrawing drawing = spec.table().sheet().getDrawingPatriarch();
    Place p = spec.place();
    XSSFClientAnchor anchor = drawing.createAnchor(0, 0, 0, 0, p.col1(), p.row1(), p.col2(),
        p.row2());
    XSSFChart chart = drawing.createChart(anchor);
    chart.setTitleText(spec.title());
    chart.setTitleOverlay(false);
    return chart;
  }

  private static XDDFValueAxis valueAxis(XSSFChart chart, TableChart spec) {
    XDDFValueAxis y = chart.createValueAxis(AxisPosition.LEFT);
    y.setTitle(spec.valueTitle());
    y.setCrosses(AxisCrosses.AUTO_ZERO);
    y.setMinimum(0);
    y.setNumberFormat(SheetTable.Styles.COUNT_FORMAT);
    return y;
  }

  /**
   * {@code <c:tickLblSkip>} and {@code <c:tickMarkSkip>}, written through a cursor: their XMLBeans
   * types are not in poi-ooxml-lite, and poi-ooxml-full (the whole schema) is a large dependency
   * for two elements. In the schema
   * they follow everything POI writes into a category axis and precede only {@code noMultiLvlLbl}
   * and {@code extLst}, which POI does not write.
   */
  private static void skipLabels(CTCatAx axis, int step) {
    if (axis.isSetNoMultiLvlLbl() || axis.isSetExtLst()) {
      throw new IllegalStateException("unexpected elements after the label skips");
    }
    try (XmlCursor cursor = axis.newCursor()) {
      cursor.toEndToken();
      for (String element : new String[] {"tickLblSkip", "tickMarkSkip"}) {
        cursor.beginElement(new QName(CHART_NAMESPACE, element));
        cursor.insertAttributeWithValue("val", Integer.toString(step));
        cursor.toNextToken(); // past the new element's end
      }
    }
  }

  private static int labelStep(int points) {
    for (int step : LABEL_STEPS) {
      if ((points + step - 1) / step <= MAX_LABELS) {
        return step;
      }
    }
    return (points + MAX_LABELS - 1) / MAX_LABELS;
  }

  /** The series is named by its column's header cell. */
  private static void title(XDDFChartData.Series series, TableChart spec) {
    series.setTitle(spec.seriesTitle(),
        new CellReference(spec.table().name(), 0, spec.valueColumn(), true, true));
  }

  /**
   * What a chart shows of a table: its titles, the column it plots (whose header names the
   * series) and where it sits.
   */
  record TableChart(SheetTable table, String title, String categoryTitle, String valueTitle,
      String seriesTitle, int valueColumn, Place place) {}
}
