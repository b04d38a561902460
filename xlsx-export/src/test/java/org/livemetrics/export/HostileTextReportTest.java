package org.livemetrics.export;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.export.Workbooks.summaryRow;

import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.Test;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.query.Rows;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * Issue 11: stored rows whose strings POI or Excel cannot hold (a control character, a lone UTF-16
 * surrogate, more than 32,767 characters) must not crash the export. The workbook is written,
 * read back with POI, and shows each such value with U+FFFD in place of what could not be kept (a
 * long one cut to 32,767 characters, ending in an ellipsis), and its Summary counts them and says
 * why.
 */
public class HostileTextReportTest {
  private static final String LONG = "d".repeat(40_000);

  private static List<String> column(XSSFSheet sheet, int column) {
    List<String> out = new ArrayList<>();
    for (Row row : sheet) {
      if (row.getRowNum() > 0) {
        out.add(row.getCell(column).getStringCellValue());
      }
    }
    return out;
  }

  @Test
  public void unprintableStoredTextIsReplacedCountedAndExplained() throws Exception {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 4).fingerprints(1, 4).views(4).build(),
        Rows.device("5555", "tab\u0001let", "2020-02-15T10:00").fingerprints(1, 1).views(4).build(),
        Rows.device("5555", "\uD800mobile", "2020-02-15T10:00").fingerprints(1, 1).views(3).build(),
        Rows.device("5555", LONG, "2020-02-15T10:00").fingerprints(1, 1).views(2).build(),
        Rows.country("5555", "U\u0000S", "2020-02-15T10:00").fingerprints(1, 1).views(4).build());
    XSSFWorkbook wb = Workbooks.report(new InMemoryAggregateStore(rows), "5555", null, null);

    // Most views first, as the sheet orders them.
    List<String> devices = column(wb.getSheet(ReportWorkbook.DEVICE_TYPES), 0);
    assertEquals(3, devices.size());
    assertEquals("tab\uFFFDlet", devices.get(0));
    assertEquals("\uFFFDmobile", devices.get(1));
    assertEquals(32_767, devices.get(2).length());
    assertEquals("d".repeat(32_766) + "\u2026", devices.get(2));
    assertEquals(List.of("U\uFFFDS"), column(wb.getSheet(ReportWorkbook.GEOGRAPHY), 0));

    assertEquals(4, Workbooks.number(Workbooks.summaryValue(wb, "Text values altered")), 0);
    assertEquals("Text from the store that a workbook cannot hold as it is: control characters"
            + " and unpaired UTF-16 surrogates are shown as \uFFFD, values over 32,767 characters"
            + " are cut (ending in \u2026)",
        summaryRow(wb, "Text values altered").getCell(2).getStringCellValue());
  }
}
