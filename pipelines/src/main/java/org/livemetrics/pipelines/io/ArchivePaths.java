package org.livemetrics.pipelines.io;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The raw archive's layout, as Kinesis Data Firehose writes it: {@code ROOT/YYYY/MM/DD/HH/<object>},
 * partitioned by arrival hour (UTC).
 */
public final class ArchivePaths {
  private static final DateTimeFormatter HOUR_DIR =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
  private static final Pattern HOUR_IN_PATH =
      Pattern.compile("(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/[^/]+$");

  private ArchivePaths() {}

  /** {@code ROOT/2026/11/22/05} for an instant in that hour. */
  public static String hourDirectory(String root, long epochMillis) {
    String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return r + "/" + HOUR_DIR.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The start of the arrival hour an archive object's path says it belongs to, if it says. */
  public static @Nullable Long arrivalHour(String objectPath) {
    Matcher m = HOUR_IN_PATH.matcher(objectPath);
    if (!m.find()) {
      return null;
    }
    return Instant.parse(
            m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T" + m.group(4) + ":00:00Z")
        .toEpochMilli();
  }
}
