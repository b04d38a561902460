package org.livemetrics.api;

import org.livemetrics.export.XlsxReport;

/** The reports the API serves; the one place that names the xlsx-export module. */
final class ApiReports {
  private ApiReports() {}

  static final ApiServer.Report XLSX = XlsxReport::write;
}
