package org.livemetrics.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.QueryException;

/**
 * The bearer tokens the API accepts and the accounts each may read. Tokens are kept only as their
 * SHA-256, so a leaked token file or environment does not leak usable tokens.
 *
 * <p>Tokens are made by livemetrics ({@link #newToken}), in one recognisable format, as GitHub's
 * are: {@code lm_}, 30 random base62 characters from {@link SecureRandom} (178 bits), and a
 * 6-character base62 CRC32 of what precedes it. A presented token not in that format, or whose
 * checksum does not match, is refused before any lookup ({@link #isWellFormed}); a secret scanner
 * can find leaked ones by the prefix and check them offline.
 *
 * <p>A SHA-256 cannot tell how strong its token was, so an entry must say that livemetrics made it:
 * one entry a line (in a file given with {@code --tokens}, or in the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, where {@code ;} also separates entries):
 *
 * <pre>
 * # comment
 * lm_sha256:&lt;64 hex of SHA-256(token)&gt;:&lt;6-char base62 CRC32 of the hex&gt; 1234,5678
 * lm_sha256:&lt;64 hex&gt;:&lt;check&gt; *          # may read every account
 * </pre>
 *
 * {@code serve} refuses to start on an entry without the {@code lm_sha256:} marker (the old
 * {@code sha256:} lines included: their tokens may be anything), with check characters that do
 * not match its hash (edited, truncated, or pasted from {@code sha256sum}), or whose hash is that
 * of a well-known weak string ({@link #WEAK_SECRETS}; the empty string among them). Besides, a
 * hash of anything but a well-formed token can never match, since such tokens are refused first.
 * {@code livemetrics serve --new-token --accounts 1234} makes a token and its line; {@code
 * --hash-token} makes the line of a token livemetrics made before.
 */
public final class AccessTokens {
  public static final String ENVIRONMENT_VARIABLE = "LIVEMETRICS_API_TOKENS";
  public static final String ALL_ACCOUNTS = "*";
  /** What every token starts with. */
  public static final String TOKEN_PREFIX = "lm_";
  /** Random characters of a token: 30 × log2(62) = 178.6 bits, at least 128 as asked. */
  static final int RANDOM_CHARACTERS = 30;
  /** A CRC32 in base62: 62^6 > 2^32. */
  static final int CHECKSUM_CHARACTERS = 6;
  public static final int TOKEN_LENGTH =
      TOKEN_PREFIX.length() + RANDOM_CHARACTERS + CHECKSUM_CHARACTERS;
  /** Strings whose hash in a token file means someone hashed a password, not a token. */
  static final List<String> WEAK_SECRETS = List.of("", "abc", "password", "test", "secret",
      "token", "changeme", "admin", "root", "123456", "12345678", "letmein", "qwerty",
      "livemetrics", "default", "demo", "demo-secret", "example", "bearer");

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern TOKEN = Pattern.compile(
      TOKEN_PREFIX + "[0-9A-Za-z]{" + (RANDOM_CHARACTERS + CHECKSUM_CHARACTERS) + "}");
  private static final String ENTRY_PREFIX = "lm_sha256:";
  private static final Pattern ENTRY_HASH =
      Pattern.compile("lm_sha256:([0-9a-f]{64}):([0-9A-Za-z]{6})");
  private static final Pattern ACCOUNT = Pattern.compile("[^\\s,;#]+");
  private static final SecureRandom RANDOM = new SecureRandom();

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
   *     malformed or weak (the message says where)
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
      if (fields[0].startsWith("sha256:")) {
        throw new QueryException("tokens", where + "a sha256: entry of a token livemetrics did not"
            + " make, which may be weak; make a new token with livemetrics serve --new-token"
            + " --accounts <accounts>, put its lm_sha256: line here and give the token (lm_…) to"
            + " the client in place of the old one");
      }
      Matcher m = ENTRY_HASH.matcher(fields[0]);
      if (!m.matches()) {
        throw new QueryException("tokens", where + "expected lm_sha256:<64 lowercase hex"
            + " digits>:<6 check characters> <accounts>; tokens are stored hashed, make the line"
            + " with: livemetrics serve --new-token (or --hash-token - for a token it made)");
      }
      if (!checksum(m.group(1)).equals(m.group(2))) {
        throw new QueryException("tokens", where + "the check characters do not match the hash:"
            + " the line was edited or not made by livemetrics serve --new-token/--hash-token");
      }
      byte[] digest = HexFormat.of().parseHex(m.group(1));
      for (String weak : WEAK_SECRETS) {
        if (MessageDigest.isEqual(digest, sha256(weak))) {
          throw new QueryException("tokens", where + "the hash of a well-known weak string"
              + (weak.isEmpty() ? " (the empty string)" : "") + ", not of a token livemetrics"
              + " made; make one with livemetrics serve --new-token");
        }
      }
      if (fields.length != 2) {
        throw new QueryException("tokens", where + "expected lm_sha256:<hex>:<check> followed by"
            + " one list of accounts (1234,5678 or *), got " + (fields.length - 1)
            + " fields after the hash");
      }
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
      if (!ACCOUNT.matcher(account).matches() || account.contains(ALL_ACCOUNTS)) {
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
   * Whether {@code token} is in the format livemetrics makes tokens in, its checksum right: the
   * check that comes before any lookup, so a guess or a typo costs no hashing.
   */
  public static boolean isWellFormed(String token) {
    return TOKEN.matcher(token).matches()
        && checksum(token.substring(0, TOKEN_LENGTH - CHECKSUM_CHARACTERS))
            .equals(token.substring(TOKEN_LENGTH - CHECKSUM_CHARACTERS));
  }

  /**
   * The grant of {@code token}, if it is well-formed and one of ours. Every entry is compared,
   * with {@link MessageDigest#isEqual} (constant time), whether or not an earlier one matched, so
   * the time taken says nothing about which entry or how much of a hash matched.
   */
  public Optional<Grant> authenticate(String token) {
    if (!isWellFormed(token)) {
      return Optional.empty();
    }
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

  /** {@code lm_sha256:<hex>:<check> <accounts>}: the line that lets {@code token} read them. */
  public static String entryLine(String token, String accounts) {
    if (!isWellFormed(token)) {
      throw new QueryException("hash-token", "not a livemetrics token (" + TOKEN_PREFIX + " and "
          + (RANDOM_CHARACTERS + CHECKSUM_CHARACTERS) + " letters or digits, the last "
          + CHECKSUM_CHARACTERS + " a checksum); make one with --new-token");
    }
    parseAccounts(accounts, "--accounts: ");
    String hex = HexFormat.of().formatHex(sha256(token));
    return ENTRY_PREFIX + hex + ":" + checksum(hex) + " " + accounts;
  }

  /** A new token: {@code lm_}, 30 random base62 characters, and their checksum. */
  public static String newToken() {
    StringBuilder token = new StringBuilder(TOKEN_LENGTH).append(TOKEN_PREFIX);
    for (int i = 0; i < RANDOM_CHARACTERS; i++) {
      token.append(BASE62.charAt(RANDOM.nextInt(BASE62.length()))); // uniform: no modulo bias
    }
    return token.append(checksum(token.toString())).toString();
  }

  /** The CRC32 of {@code s}'s UTF-8 bytes in 6 base62 digits, most significant first. */
  static String checksum(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    long value = crc.getValue();
    char[] digits = new char[CHECKSUM_CHARACTERS];
    for (int i = CHECKSUM_CHARACTERS - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
