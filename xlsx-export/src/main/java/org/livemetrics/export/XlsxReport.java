package org.livemetrics.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.QueryEngine;

/**
 * The Live Analytics XLSX report of one video, as {@code
 * /v1/events/accounts/{account}/videos/{video}/export?format=xlsx} serves it: four sheets, Summary,
 * Concurrent users, Views by Device Type and Views by Geography, with native Excel charts.
 *
 * <p>Every number is the query layer's answer for the report's range (see {@link ReportData}), so
 * the workbook agrees with {@code /v1/events} and {@code /v1/timeseries}. Rows are streamed (POI
 * SXSSF), so the report of a 24-hour stream (1,440 minutes) is written in a JVM with a 32 MB heap;
 * the module's README has the measured times.
 */
public final class XlsxReport {
  /** The media type of the workbook, for an HTTP response. */
  public static final String CONTENT_TYPE =
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  private XlsxReport() {}

  /**
   * Writes the workbook for one video; fromMs/toMs null = the whole stream. Throws QueryException
   * for bad input (unknown video: a report with zero rows is fine but say so in the Summary),
   * IOException for store failures.
   *
   * <p>The range is the whole minutes {@code floor(fromMs / 60000)} through {@code floor(toMs /
   * 60000)}, as in the API. A missing {@code fromMs} starts it at the first minute with data and a
   * missing {@code toMs} ends it at the last one ("the whole stream" when both are missing),
   * looking back as far as the API's default range: 32 days before {@code toMs} or now. An
   * unknown video or account gives a report whose Summary says there is no data and whose other
   * sheets are empty.
   *
   * <p>Everything is read from the store before the first byte is written, so when the store fails
   * {@code out} is untouched (an HTTP handler can still answer 5xx). {@code out} is not closed.
   *
   * @param clock "now" for the default range and the report's generation time
   * @throws org.livemetrics.query.QueryException for bad input ({@code to} before {@code from}, a
   *     blank account, a range of more minutes than the engine's point limit), naming the parameter
   * @throws IOException when the store cannot be read or {@code out} cannot be written
   */
  public static void write(QueryEngine engine, String account, String video,
      @Nullable Long fromMs, @Nullable Long toMs, Clock clock, OutputStream out)
      throws IOException {
    ReportWorkbook.write(ReportData.load(engine, account, video, fromMs, toMs, clock), out);
  }
}
