package org.livemetrics.export;

import org.apache.poi.ss.SpreadsheetVersion;

/**
 * Text as a workbook can hold it. Stored strings come from players on the public internet, and
 * POI refuses a cell over 32,767 characters (the export failed), while characters XML 1.0 cannot
 * carry (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF; unpaired
 * UTF-16 surrogates) would make a file Excel refuses to open or be lost on the way. Such
 * characters become U+FFFD and an over-long value is cut, ending in an ellipsis; the values
 * changed are counted, and the Summary says how many and why.
 */
final class CellText {
  /** Excel's limit for a cell's text, which POI enforces. */
  static final int MAX_CHARS = SpreadsheetVersion.EXCEL2007.getMaxTextLength();
  static final char REPLACEMENT = '\uFFFD';
  static final String CUT = "\u2026";

  private int altered;

  /** {@code s} as a cell can hold it; counted when it had to change. */
  String clean(String s) {
    String clean = fitted(s);
    if (!clean.equals(s)) {
      altered++;
    }
    return clean;
  }

  /** How many values {@link #clean} changed. */
  int altered() {
    return altered;
  }

  /** {@code s} as a cell can hold it (null stays null). */
  static String fitted(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean keep;
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        if (b != null) {
          b.append(c).append(s.charAt(i + 1));
        }
        i++;
        continue;
      }
      keep = !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF'
          && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
      if (!keep && b == null) {
        b = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (b != null) {
        b.append(keep ? c : REPLACEMENT);
      }
    }
    String out = b == null ? s : b.toString();
    if (out.length() > MAX_CHARS) {
      int end = MAX_CHARS - CUT.length();
      if (Character.isHighSurrogate(out.charAt(end - 1))) {
        end--; // keep the pair whole: drop it
      }
      out = out.substring(0, end) + CUT;
    }
    return out;
  }
}
