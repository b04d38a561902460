package org.livemetrics.cli;

import java.io.PrintStream;
import org.livemetrics.testdata.ArchiveGenerator;

/** {@code livemetrics generate}: the seeded archive generator of the testdata module. */
final class GenerateCommand {
  private GenerateCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    PrintStream previous = System.err;
    try {
      System.setErr(err);
      return ArchiveGenerator.run(args, out);
    } finally {
      System.setErr(previous);
    }
  }
}
