package org.livemetrics.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.livemetrics.schemas.DidYouMean;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * One {@code livemetrics} command as the front end sees it: its options (declared once, here or
 * read from its Beam options interface), its help, and the implementation it hands the parsed
 * options to. picocli parses, so every command takes {@code --name value} and {@code --name=value}
 * alike, reports an unknown option with the closest known one, and can be completed by the shell;
 * the implementation receives the options in the one spelling it reads ({@link Style}).
 */
final class CliCommand {
  /** How the implementation reads its options. */
  enum Style {
    /** {@code --name=value}: Beam's PipelineOptionsFactory (and the commands that read both). */
    EQUALS,
    /** {@code --name value}. */
    SPACE
  }

  /** The implementation the parsed options go to; returns the exit status. */
  interface Implementation {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  /**
   * One option. {@code passAs}: the name the implementation knows it by (Beam's {@code output} for
   * the front end's {@code store}); {@code replacedBy}: set on an old spelling kept working, which
   * prints a deprecation line.
   */
  record Opt(String name, String label, String description, boolean required, String defaultText,
      boolean flag, String group, boolean hidden, String passAs, String replacedBy,
      Class<?> valueType) {
    static Opt of(String name, String label, String description) {
      return new Opt(name, label, description, false, "", false, "Options", false, name, null,
          String.class);
    }

    /** Checked here so that a wrong value is named by its option (Beam's message does not). */
    Opt ofType(Class<?> type) {
      return new Opt(name, label, description, required, defaultText, flag, group, hidden, passAs,
          replacedBy, type);
    }

    Opt asRequired() {
      return new Opt(name, label, description, true, defaultText, flag, group, hidden, passAs, replacedBy, valueType);
    }

    Opt withDefault(String text) {
      return new Opt(name, label, description, required, text, flag, group, hidden, passAs, replacedBy, valueType);
    }

    Opt asFlag() {
      return new Opt(name, label, description, required, defaultText, true, group, hidden, passAs, replacedBy, valueType);
    }

    Opt inGroup(String g) {
      return new Opt(name, label, description, required, defaultText, flag, g, hidden, passAs,
          replacedBy, valueType);
    }

    Opt asHidden() {
      return new Opt(name, label, description, required, defaultText, flag, group, true, passAs,
          replacedBy, valueType);
    }

    Opt passAs(String implementationName) {
      return new Opt(name, label, description, required, defaultText, flag, group, hidden,
          implementationName, replacedBy, valueType);
    }

    Opt withDescription(String d) {
      return new Opt(name, label, d, required, defaultText, flag, group, hidden, passAs, replacedBy, valueType);
    }

    /** The old spelling {@code oldName} of this option, hidden, with a deprecation line. */
    Opt oldSpelling(String oldName) {
      return new Opt(oldName, label, description, false, "", flag, group, true, passAs, name,
          valueType);
    }
  }

  final String name;
  final String summary;
  private final List<String> about;
  private final List<Opt> options;
  private final String positionalLabel;
  private final String positionalDescription;
  private final List<String> examples;
  private final Style style;
  private final Implementation implementation;

  CliCommand(String name, String summary, List<String> about, List<Opt> options,
      String positionalLabel, String positionalDescription, List<String> examples, Style style,
      Implementation implementation) {
    this.name = name;
    this.summary = summary;
    this.about = about;
    this.options = options;
    this.positionalLabel = positionalLabel;
    this.positionalDescription = positionalDescription;
    this.examples = examples;
    this.style = style;
    this.implementation = implementation;
  }

  List<Opt> options() {
    return options;
  }

  /** Parses {@code args}, prints help or an error, or runs the implementation. */
  int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      if (a.equals("--help") || a.equals("-h") || a.equals("--help=all")) {
        out.print(help(a.equals("--help=all")));
        out.flush();
        return 0;
      }
    }
    List<String> passed;
    try {
      passed = parse(args, err);
    } catch (UsageError e) {
      err.println("error: " + e.getMessage() + " (see: livemetrics " + name + " --help)");
      return 2;
    }
    return implementation.run(passed.toArray(String[]::new), out, err);
  }

  /** A usage error, said the front end's way. */
  static final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  /** The arguments for the implementation, in its spelling; deprecation lines go to {@code err}. */
  List<String> parse(String[] args, PrintStream err) throws UsageError {
    CommandLine cl = new CommandLine(spec());
    ParseResult result;
    try {
      result = cl.parseArgs(args);
    } catch (CommandLine.UnmatchedArgumentException e) {
      String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
      if (first.startsWith("-")) {
        String typed = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        throw new UsageError("unknown option '" + typed + "'" + suggestion(typed));
      }
      throw new UsageError(positionalLabel == null
          ? "unexpected argument '" + first + "': options start with --"
          : "unexpected argument '" + first + "': one " + positionalLabel + " only");
    } catch (CommandLine.MissingParameterException e) {
      throw new UsageError(e.getMessage().replace("Missing required parameter for option ", "")
          .replaceAll("'(--[\\w-]+)[^']*'.*", "$1 needs a value"));
    } catch (ParameterException e) {
      throw new UsageError(e.getMessage());
    }
    List<String> missing = new ArrayList<>();
    for (Opt o : options) {
      if (o.required() && !o.hidden() && !matched(result, o)) {
        missing.add("--" + o.name() + " " + o.label());
      }
    }
    if (positionalLabel != null && result.matchedPositionals().isEmpty()) {
      missing.add(positionalLabel);
    }
    if (!missing.isEmpty()) {
      throw new UsageError((missing.size() == 1 ? "missing " : "missing required options ")
          + String.join(", ", missing));
    }
    List<String> passed = new ArrayList<>();
    for (OptionSpec spec : result.matchedOptions()) {
      Opt o = byName().get(spec.longestName().substring(2));
      if (o.replacedBy() != null) {
        err.println("livemetrics " + name + ": --" + o.name() + " is deprecated, use --"
            + o.replacedBy() + " (same meaning)");
      }
      if (o.flag()) {
        Boolean v = spec.getValue();
        if (style == Style.EQUALS && Boolean.FALSE.equals(v)) {
          passed.add("--" + o.passAs() + "=false");
        } else if (Boolean.TRUE.equals(v)) {
          passed.add("--" + o.passAs());
        }
        continue;
      }
      List<String> values = spec.getValue();
      for (String v : values) {
        checkValue(o, v);
        if (style == Style.EQUALS) {
          passed.add("--" + o.passAs() + "=" + v);
        } else {
          passed.add("--" + o.passAs());
          passed.add(v);
        }
      }
    }
    if (positionalLabel != null) {
      passed.add(result.matchedPositionals().get(0).getValue());
    }
    return passed;
  }

  /** A number or enum value that cannot be one, named by its option. */
  private static void checkValue(Opt o, String v) throws UsageError {
    Class<?> t = o.valueType();
    try {
      if (t == int.class || t == Integer.class) {
        Integer.parseInt(v.trim());
      } else if (t == long.class || t == Long.class) {
        Long.parseLong(v.trim());
      } else if (t == double.class || t == Double.class) {
        Double.parseDouble(v.trim());
      } else if (t.isEnum()) {
        List<String> names = java.util.Arrays.stream(t.getEnumConstants())
            .map(c -> ((Enum<?>) c).name()).toList();
        if (names.stream().noneMatch(n -> n.equalsIgnoreCase(v.trim()))) {
          throw new UsageError("--" + o.name() + ": '" + v + "' is not one of "
              + String.join(", ", names) + DidYouMean.suffix(v, names));
        }
      }
    } catch (NumberFormatException e) {
      throw new UsageError("--" + o.name() + ": '" + v + "' is not a "
          + (t == double.class || t == Double.class ? "number" : "whole number"));
    }
  }

  /** Given under its name or an old spelling of it. */
  private boolean matched(ParseResult result, Opt o) {
    return options.stream().anyMatch(x -> x.passAs().equals(o.passAs())
        && result.hasMatchedOption("--" + x.name()));
  }

  /** The option spelling closest to {@code typed}: visible options first, then the others. */
  String suggestion(String typed) {
    String bare = typed.replaceFirst("^-+", "");
    Optional<String> visible = DidYouMean.closest(bare, names(false));
    String s = visible.or(() -> DidYouMean.closest(bare, names(true))).orElse(null);
    if (s == null) {
      return "";
    }
    String replacement = byName().get(s).replacedBy(); // a near miss of an old spelling
    return " (did you mean '--" + (replacement == null ? s : replacement) + "'?)";
  }

  /** The visible options' names (old spellings included: they still work), or the hidden ones'. */
  private Collection<String> names(boolean hidden) {
    return options.stream().filter(o -> (o.hidden() && o.replacedBy() == null) == hidden)
        .map(Opt::name).collect(Collectors.toList());
  }

  private Map<String, Opt> byName() {
    Map<String, Opt> m = new LinkedHashMap<>();
    options.forEach(o -> m.put(o.name(), o));
    return m;
  }

  /** The picocli model: every option, hidden ones included, so that they parse. */
  CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name(name);
    spec.parser().caseInsensitiveEnumValuesAllowed(true);
    spec.usageMessage().description(summary);
    for (Opt o : options) {
      OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).hidden(o.hidden())
          .description(o.description());
      if (o.flag()) {
        b.type(Boolean.class).arity("0..1");
      } else {
        b.type(List.class).auxiliaryTypes(String.class).arity("1").paramLabel(o.label());
      }
      spec.addOption(b.build());
    }
    spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true)
        .description("this text; --help=all also lists the runner, file-system and AWS options")
        .build());
    if (positionalLabel != null) {
      spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1")
          .paramLabel(positionalLabel).description(positionalDescription).type(String.class).build());
    }
    return spec;
  }

  // ---------------------------------------------------------------------------------------------
  // Help
  // ---------------------------------------------------------------------------------------------

  private static final int WIDTH = 100;
  private static final int INDENT = 28;

  /** The help text: usage line first, then what it does, options grouped, examples, pointers. */
  String help(boolean all) {
    StringBuilder b = new StringBuilder();
    b.append(usageLine()).append("\n\n");
    about.forEach(line -> b.append(line).append('\n'));
    if (!about.isEmpty()) {
      b.append('\n');
    }
    if (positionalLabel != null) {
      b.append("Required:\n");
      option(b, positionalLabel, positionalDescription, "");
    }
    List<Opt> required = options.stream().filter(o -> o.required() && !o.hidden()).toList();
    if (!required.isEmpty()) {
      if (positionalLabel == null) {
        b.append("Required:\n");
      }
      required.forEach(o -> option(b, o));
    }
    Map<String, List<Opt>> groups = new LinkedHashMap<>();
    for (Opt o : options) {
      if (!o.required() && !o.hidden()) {
        groups.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o);
      }
    }
    groups.forEach((group, list) -> {
      if (!b.toString().endsWith("\n\n")) {
        b.append('\n');
      }
      b.append(group).append(" (optional):\n");
      list.forEach(o -> option(b, o));
    });
    if (!examples.isEmpty()) {
      b.append("\nExamples:\n");
      examples.forEach(e -> b.append("  ").append(e).append('\n'));
    }
    long others = options.stream().filter(o -> o.hidden() && o.replacedBy() == null).count();
    if (all) {
      Map<String, List<Opt>> hidden = new LinkedHashMap<>();
      options.stream().filter(o -> o.hidden() && o.replacedBy() == null)
          .forEach(o -> hidden.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o));
      hidden.forEach((group, list) -> {
        b.append('\n').append(group).append(":\n");
        list.forEach(o -> option(b, o));
      });
    }
    b.append("\nOptions are written --name value or --name=value. Times: ISO-8601 (2026-11-22T05:00:00Z;\n"
        + "without an offset: UTC), an hour (2026-11-22T05), a day (2026-11-22) or epoch milliseconds.\n");
    if (!all && others > 0) {
      b.append("`livemetrics ").append(name).append(" --help=all` also lists the ").append(others)
          .append(" runner, file-system and AWS options passed to Beam.\n");
    }
    return b.toString();
  }

  String usageLine() {
    StringBuilder u = new StringBuilder("usage: livemetrics " + name);
    options.stream().filter(o -> o.required() && !o.hidden())
        .forEach(o -> u.append(" --").append(o.name()).append(' ').append(o.label()));
    if (options.stream().anyMatch(o -> !o.required() && !o.hidden())) {
      u.append(" [options]");
    }
    if (positionalLabel != null) {
      u.append(' ').append(positionalLabel);
    }
    return u.toString();
  }

  private static void option(StringBuilder b, Opt o) {
    String head = "--" + o.name() + (o.flag() ? "" : " " + o.label());
    String text = o.description();
    if (!o.defaultText().isEmpty()) {
      text = text + (text.isEmpty() ? "" : " ") + "(default: " + o.defaultText() + ")";
    }
    option(b, head, text, "");
  }

  private static void option(StringBuilder b, String head, String text, String unused) {
    String first = "  " + head;
    List<String> lines = wrap(text, WIDTH - INDENT);
    if (first.length() + 2 > INDENT) {
      b.append(first).append('\n');
    } else {
      b.append(first).append(" ".repeat(INDENT - first.length()));
      if (!lines.isEmpty()) {
        b.append(lines.remove(0));
      }
      b.append('\n');
    }
    lines.forEach(l -> b.append(" ".repeat(INDENT)).append(l).append('\n'));
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.trim().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
