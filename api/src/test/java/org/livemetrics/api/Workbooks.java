package org.livemetrics.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Reads a downloaded workbook back with POI. */
final class Workbooks {
  private Workbooks() {}

  static XSSFWorkbook open(byte[] xlsx) throws IOException {
    return new XSSFWorkbook(new ByteArrayInputStream(xlsx));
  }

  static List<String> sheetNames(XSSFWorkbook workbook) {
    List<String> names = new ArrayList<>();
    for (Sheet sheet : workbook) {
      names.add(sheet.getSheetName());
    }
    return names;
  }

  /** The Summary sheet's first two columns: item → value as displayed in its cell. */
  static Map<String, Object> summary(XSSFWorkbook workbook) {
    Map<String, Object> items = new LinkedHashMap<>();
    for (Row row : workbook.getSheet("Summary")) {
      Cell item = row.getCell(0);
      Cell value = row.getCell(1);
      if (row.getRowNum() == 0 || item == null || value == null) {
        continue;
      }
      items.put(item.getStringCellValue(), switch (value.getCellType()) {
        case NUMERIC -> value.getNumericCellValue();
        default -> value.toString();
      });
    }
    return items;
  }

  /** Data rows of a sheet, without its header. */
  static int dataRows(XSSFWorkbook workbook, String sheet) {
    return workbook.getSheet(sheet).getLastRowNum();
  }
}
