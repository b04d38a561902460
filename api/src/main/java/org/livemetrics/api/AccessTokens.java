package org.livemetrics.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.QueryException;

/**
 * The bearer tokens the API accepts and the accounts each may read. Tokens are kept only as their
 * SHA-256, so a leaked token file or environment does not leak usable tokens.
 *
 * <p>Format, one entry a line (in a file given with {@code --tokens}, or in the environment
 * variable {@value #ENVIRONMENT_VARIABLE}, where {@code ;} also separates entries):
 *
 * <pre>
 * # comment
 * sha256:&lt;64 hex digits of SHA-256(token)&gt; 1234,5678    # may read accounts 1234 and 5678
 * sha256:&lt;64 hex digits&gt; *                              # may read every account
 * </pre>
 *
 * {@code livemetrics serve --new-token --accounts 1234} makes a random token and its line;
 * {@code --hash-token} makes the line of a token you already have.
 */
public final class AccessTokens {
  public static final String ENVIRONMENT_VARIABLE = "LIVEMETRICS_API_TOKENS";
  public static final String ALL_ACCOUNTS = "*";
  /** Shorter tokens can be guessed; {@link #newToken()} makes 43-character ones. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private static final String PREFIX = "sha256:";
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
  private static final Pattern ACCOUNT = Pattern.compile("[^\\s,;#]+");

  private final List<Entry> entries;

  private AccessTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** What a valid token may read. */
  public record Grant(boolean allAccounts, Set<String> accounts) {
    public Grant {
      accounts = Set.copyOf(accounts);
    }

    public boolean mayRead(String account) {
      return allAccounts || accounts.contains(account);
    }
  }

  private record Entry(byte[] sha256, Grant grant) {}

  // ---------------------------------------------------------------------------------------------
  // Loading

  /**
   * The tokens of {@code file} and of the environment variable's {@code value}, together.
   *
   * @throws QueryException naming {@code tokens} when neither gives a token or an entry is
   *     malformed (the message says where)
   */
  public static AccessTokens load(@Nullable Path file, @Nullable String environmentValue) {
    List<Entry> entries = new ArrayList<>();
    if (file != null) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new QueryException("tokens", "cannot read " + file + ": " + e.getMessage());
      }
      entries.addAll(parse(text.split("\\R", -1), file.toString()).entries);
    }
    if (environmentValue != null && !environmentValue.isBlank()) {
      entries.addAll(parse(environmentValue.split("\\R|;", -1), "$" + ENVIRONMENT_VARIABLE).entries);
    }
    if (entries.isEmpty()) {
      throw new QueryException("tokens", "no access tokens configured; give --tokens FILE or set "
          + ENVIRONMENT_VARIABLE + " (make an entry with: livemetrics serve --new-token"
          + " --accounts <account,...>)");
    }
    return new AccessTokens(entries);
  }

  /** Parses entries; {@code source} names where they came from in error messages. */
  public static AccessTokens parse(String[] lines, String source) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      String content = (hash < 0 ? line : line.substring(0, hash)).trim();
      if (content.isEmpty()) {
        continue;
      }
      String where = source + " entry " + (i + 1) + ": ";
      String[] fields = content.split("\\s+");
      if (!HASH.matcher(fields[0]).matches()) {
        throw new QueryException("tokens", where + "expected sha256:<64 hex digits> <accounts>;"
            + " tokens are stored hashed, make the line with: livemetrics serve --hash-token -");
      }
      if (fields.length != 2) {
        throw new QueryException("tokens", where + "expected sha256:<hex> followed by one list"
            + " of accounts (1234,5678 or *), got " + (fields.length - 1) + " fields after the hash");
      }
      byte[] digest = HexFormat.of().parseHex(fields[0].substring(PREFIX.length()));
      entries.add(new Entry(digest, parseAccounts(fields[1], where)));
    }
    return new AccessTokens(entries);
  }

  private static Grant parseAccounts(String list, String where) {
    if (list.equals(ALL_ACCOUNTS)) {
      return new Grant(true, Set.of());
    }
    Set<String> accounts = new LinkedHashSet<>();
    for (String account : list.split(",", -1)) {
      if (!ACCOUNT.matcher(account).matches() || account.equals(ALL_ACCOUNTS)) {
        throw new QueryException("tokens", where + "bad account list '" + list
            + "'; use comma-separated account ids, or * alone for every account");
      }
      accounts.add(account);
    }
    return new Grant(false, accounts);
  }

  public int size() {
    return entries.size();
  }

  // ---------------------------------------------------------------------------------------------
  // Checking

  /**
   * The grant of {@code token}, if it is one of ours. Every entry is compared, with {@link
   * MessageDigest#isEqual} (constant time), whether or not an earlier one matched, so the time
   * taken says nothing about which entry or how much of a hash matched.
   */
  public Optional<Grant> authenticate(String token) {
    byte[] presented = sha256(token);
    Grant found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(presented, e.sha256) && found == null) {
        found = e.grant;
      }
    }
    return Optional.ofNullable(found);
  }

  // ---------------------------------------------------------------------------------------------
  // Making entries

  /** {@code sha256:<hex> <accounts>}, the line that lets {@code token} read {@code accounts}. */
  public static String entryLine(String token, String accounts) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new QueryException("hash-token", "the token has " + token.length()
          + " characters; use at least " + MIN_TOKEN_LENGTH + " (or --new-token for a random one)");
    }
    if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new QueryException("hash-token", "a bearer token is printable ASCII without spaces");
    }
    parseAccounts(accounts, "--accounts: ");
    return PREFIX + HexFormat.of().formatHex(sha256(token)) + " " + accounts;
  }

  /** A random token: 32 bytes from {@link SecureRandom}, URL-safe base64 without padding. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
