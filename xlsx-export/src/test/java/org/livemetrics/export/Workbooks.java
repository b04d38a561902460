package org.livemetrics.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.QueryEngine;

/** Writes reports into memory and reads them back with POI's XSSF, for assertions. */
final class Workbooks {
  /** "Now" in the tests: 2020-02-15 12:00 UTC, two hours after the sample stream. */
  static final Clock NOON = Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);

  private Workbooks() {}

  static XSSFWorkbook report(AggregateStore store, String video, Long fromMs, Long toMs)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    XlsxReport.write(new QueryEngine(store), "1234", video, fromMs, toMs, NOON, out);
    return new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()));
  }

  static LocalDateTime utc(String isoMinute) {
    return LocalDateTime.parse(isoMinute);
  }

  /** The Summary row whose first cell is {@code label}. */
  static Row summaryRow(XSSFWorkbook wb, String label) {
    XSSFSheet s = wb.getSheet(ReportWorkbook.SUMMARY);
    for (Row row : s) {
      if (row.getCell(0) != null && label.equals(row.getCell(0).getStringCellValue())) {
        return row;
      }
    }
    fail("no Summary row '" + label + "'");
    return null;
  }

  static Cell summaryValue(XSSFWorkbook wb, String label) {
    Cell cell = summaryRow(wb, label).getCell(1);
    assertNotNull(label, cell);
    return cell;
  }

  static double number(Cell cell) {
    assertEquals(cell.getAddress().toString(), CellType.NUMERIC, cell.getCellType());
    return cell.getNumericCellValue();
  }

  /** The texts of a row's cells, in order. */
  static List<String> texts(Row row) {
    List<String> texts = new ArrayList<>();
    for (Cell c : row) {
      texts.add(c.getStringCellValue());
    }
    return texts;
  }

  static List<XSSFChart> charts(XSSFSheet sheet) {
    XSSFDrawing drawing = sheet.getDrawingPatriarch();
    return drawing == null ? List.of() : drawing.getCharts();
  }
}
