package org.livemetrics.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which livemetrics accounts own which IVS channels: the operator's rule that keeps one account's
 * broadcast minutes and streams from another. Broadcast events name channels by ARN and carry no
 * livemetrics account, so ownership is configuration, applied at query time by {@link QueryEngine}
 * (a change of the file applies to every row already stored, with no re-stamping or backfill).
 *
 * <p>The file ({@code --channel-owners FILE}), one rule a line:
 *
 * <pre>
 * # AWS account or channel ARN prefix     livemetrics accounts
 * 123456789012                             1234            # every channel of this AWS account
 * arn:aws:ivs:us-west-2:210987654321:channel/news  5678,9012  # channels whose ARN starts so
 * </pre>
 *
 * <ul>
 *   <li>A rule grants; none takes away: a channel belongs to every account of every rule it
 *       matches (its ARN's AWS account is the rule's, or its ARN starts with the rule's prefix).
 *   <li>A channel no rule matches belongs to no account: only the path account {@code *} (for a
 *       token of every account) reads it.
 *   <li>The path account {@code *} reads every channel.
 * </ul>
 */
public final class ChannelOwners {
  /** The path account of the all-channels view; no real account can be named so. */
  public static final String ALL_ACCOUNTS = "*";
  /** No rule: every channel is readable only at {@code accounts/*}. */
  public static final ChannelOwners NONE = new ChannelOwners(List.of());

  private static final Pattern ACCOUNT = Pattern.compile("[^\\s,;#*]+");
  private static final Pattern ARN_PREFIX = Pattern.compile("arn:[^\\s#]+");
  /** A sane bound on an operator's file; more is a mistake (a log pasted instead). */
  private static final int MAX_RULES = 100_000;

  private record Rule(boolean awsAccount, String key, Set<String> accounts) {}

  private final List<Rule> rules;

  private ChannelOwners(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Reads the rules of {@code file}.
   *
   * @throws QueryException naming {@code channel-owners}, saying which line is wrong and why
   */
  public static ChannelOwners load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new QueryException("channel-owners", "cannot read " + file + ": " + e.getMessage());
    }
    return parse(lines, file.toString());
  }

  /** Parses rules; {@code source} names where they came from in error messages. */
  public static ChannelOwners parse(List<String> lines, String source) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = (hash < 0 ? line : line.substring(0, hash)).trim();
      if (content.isEmpty()) {
        continue;
      }
      String where = source + " line " + (i + 1) + ": ";
      String[] fields = content.split("\\s+");
      if (fields.length != 2) {
        throw new QueryException("channel-owners", where + "expected '<AWS account id or channel"
            + " ARN prefix> <account,...>', got " + fields.length + " fields");
      }
      String key = fields[0];
      boolean awsAccount = ChannelScope.AWS_ACCOUNT.matcher(key).matches();
      if (!awsAccount && !ARN_PREFIX.matcher(key).matches()) {
        throw new QueryException("channel-owners", where + "'" + key + "' is neither a 12-digit"
            + " AWS account id nor a channel ARN prefix (arn:aws:ivs:…)");
      }
      Set<String> accounts = new LinkedHashSet<>();
      for (String account : fields[1].split(",", -1)) {
        if (!ACCOUNT.matcher(account).matches()) {
          throw new QueryException("channel-owners", where + "bad account list '" + fields[1]
              + "'; use comma-separated livemetrics account ids (not *: every channel is"
              + " already readable at accounts/*)");
        }
        accounts.add(account);
      }
      if (rules.size() == MAX_RULES) {
        throw new QueryException("channel-owners", where + "more than " + MAX_RULES + " rules");
      }
      rules.add(new Rule(awsAccount, key, accounts));
    }
    return new ChannelOwners(rules);
  }

  public int size() {
    return rules.size();
  }

  /** The channels the path account {@code account} may see: {@link ChannelScope#ALL} for *. */
  public ChannelScope scopeOf(String account) {
    if (account.equals(ALL_ACCOUNTS)) {
      return ChannelScope.ALL;
    }
    Set<String> awsAccounts = new LinkedHashSet<>();
    Set<String> prefixes = new LinkedHashSet<>();
    for (Rule r : rules) {
      if (r.accounts.contains(account)) {
        (r.awsAccount ? awsAccounts : prefixes).add(r.key);
      }
    }
    return new ChannelScope(false, awsAccounts, prefixes);
  }
}
