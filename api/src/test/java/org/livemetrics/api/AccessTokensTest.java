package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.QueryException;

/**
 * The token format, the token file format, hashing and matching. The fixtures' checksums and
 * hashes were computed independently in Python ({@code zlib.crc32}, base62 0-9A-Za-z, {@code
 * hashlib.sha256}).
 */
public class AccessTokensTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** zlib.crc32(b"lm_reader1234tokenAAAAAAAAAAAAAAA") = 568117730 = base62 0cRlNC. */
  static final String TOKEN_1234 = "lm_reader1234tokenAAAAAAAAAAAAAAA0cRlNC";
  static final String TOKEN_ALL = "lm_readerALLtokenBBBBBBBBBBBBBBBB3OJj8a";
  static final String ENTRY_1234 = "lm_sha256:"
      + "4a45e0e87139bfbe5f0cc63e9bb3f59a8ded13b88d1bb9080c43aa7dc96e0297:0LqUWd";
  static final String ENTRY_ALL = "lm_sha256:"
      + "deeeba6146ff0f1594dc910eff1f2c0714bf7cc79dfca38e4b271d4e4680a410:3q0Npl";

  @Test
  public void aTokenIsThePrefixRandomCharactersAndTheirCrc32() {
    assertTrue(AccessTokens.isWellFormed(TOKEN_1234));
    assertEquals("0cRlNC", AccessTokens.checksum("lm_reader1234tokenAAAAAAAAAAAAAAA"));
    // One character changed, in the body or the checksum; another prefix; another length.
    assertFalse(AccessTokens.isWellFormed("lm_reader1234tokenAAAAAAAAAAAAAAB0cRlNC"));
    assertFalse(AccessTokens.isWellFormed("lm_reader1234tokenAAAAAAAAAAAAAAA0cRlND"));
    assertFalse(AccessTokens.isWellFormed("xx_reader1234tokenAAAAAAAAAAAAAAA0cRlNC"));
    assertFalse(AccessTokens.isWellFormed(TOKEN_1234 + "0"));
    assertFalse(AccessTokens.isWellFormed(""));
    assertFalse(AccessTokens.isWellFormed("password"));
  }

  @Test
  public void newTokensAreRandomWellFormedAndCarryAtLeast128Bits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String t = AccessTokens.newToken();
      assertTrue(t, AccessTokens.isWellFormed(t));
      assertEquals(39, t.length());
      assertTrue(seen.add(t));
    }
    // 30 characters of 62: 30 × log2(62) bits.
    assertTrue(30 * Math.log(62) / Math.log(2) >= 128);
    assertEquals(30, AccessTokens.RANDOM_CHARACTERS);
  }

  @Test
  public void entryLineIsTheMarkedSha256OfTheTokenWithItsCheck() {
    assertEquals(ENTRY_1234 + " 1234", AccessTokens.entryLine(TOKEN_1234, "1234"));
    assertEquals(ENTRY_ALL + " *", AccessTokens.entryLine(TOKEN_ALL, "*"));
  }

  @Test
  public void aFileGrantsItsAccountsAndTheWildcardGrantsAll() throws Exception {
    Path file = tmp.newFile("tokens").toPath();
    Files.writeString(file, String.join("\n",
        "# API tokens",
        "",
        ENTRY_1234 + "   1234,5678   # the 1234 team",
        ENTRY_ALL + "\t*"), StandardCharsets.UTF_8);
    AccessTokens tokens = AccessTokens.load(file, null);
    assertEquals(2, tokens.size());
    AccessTokens.Grant team = tokens.authenticate(TOKEN_1234).orElseThrow();
    assertEquals(new AccessTokens.Grant(false, Set.of("1234", "5678")), team);
    assertTrue(team.mayRead("5678"));
    assertFalse(team.mayRead("9999"));
    assertFalse(team.mayRead("*"));
    assertTrue(tokens.authenticate(TOKEN_ALL).orElseThrow().mayRead("9999"));
    // A well-formed token of nobody; malformed ones; the stored line itself.
    assertEquals(Optional.empty(), tokens.authenticate(AccessTokens.newToken()));
    assertEquals(Optional.empty(), tokens.authenticate(""));
    assertEquals(Optional.empty(), tokens.authenticate(ENTRY_1234));
  }

  @Test
  public void theEnvironmentVariableTakesSemicolonsOrNewlinesAndAddsToTheFile() throws Exception {
    AccessTokens env = AccessTokens.load(null, ENTRY_1234 + " 1234; " + ENTRY_ALL + " *\n");
    assertEquals(2, env.size());
    Path file = tmp.newFile("tokens").toPath();
    Files.writeString(file, ENTRY_1234 + " 1234\n");
    AccessTokens both = AccessTokens.load(file, ENTRY_ALL + " *");
    assertEquals(2, both.size());
    assertTrue(both.authenticate(TOKEN_ALL).isPresent());
  }

  private static String refusal(String entry) {
    QueryException e = assertThrows(entry, QueryException.class,
        () -> AccessTokens.load(null, entry));
    assertEquals("tokens", e.parameter());
    return e.getMessage();
  }

  @Test
  public void weakEntriesStopTheServerFromStarting() {
    // The SHA-256 of "", "password", "abc" with right check characters: refused all the same.
    assertThat(refusal("lm_sha256:"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:0uPj5m *"),
        containsString("the hash of a well-known weak string (the empty string)"));
    assertThat(refusal("lm_sha256:"
        + "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8:2j46nw 1"),
        containsString("weak string"));
    assertThat(refusal("lm_sha256:"
        + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad:1NiqeB 1"),
        containsString("weak string"));
    // sha256sum's output of anything, old format or without the check: not made by livemetrics.
    assertThat(refusal("sha256:"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 *"),
        containsString("serve --new-token"));
    assertThat(refusal("lm_sha256:"
        + "4a45e0e87139bfbe5f0cc63e9bb3f59a8ded13b88d1bb9080c43aa7dc96e0297 1234"),
        containsString("expected lm_sha256:"));
    // One hex digit edited: the check no longer matches.
    assertThat(refusal(ENTRY_1234.replace("4a45e0", "4a45e1") + " 1234"),
        containsString("check characters do not match"));
  }

  @Test
  public void malformedEntriesAreRefusedSayingWhere() throws Exception {
    Path file = tmp.newFile("tokens").toPath();
    Files.writeString(file, "# ok\n" + TOKEN_1234 + " 1234\n");
    QueryException plain = assertThrows(QueryException.class, () -> AccessTokens.load(file, null));
    assertEquals("tokens", plain.parameter());
    assertThat(plain.getMessage(), containsString("entry 2"));
    assertThat(plain.getMessage(), containsString("stored hashed"));
    assertThat(plain.getMessage(), not(containsString(TOKEN_1234)));

    assertThat(refusal(ENTRY_1234), containsString("one list of accounts"));
    assertThat(refusal(ENTRY_1234 + " 1234,,5"), containsString("bad account list"));
    assertThat(refusal(ENTRY_1234 + " 1234,*"), containsString("* alone"));
    assertThat(refusal(ENTRY_1234.toUpperCase() + " 1234"), containsString("lowercase"));
    assertThat(assertThrows(QueryException.class, () -> AccessTokens.load(
        tmp.getRoot().toPath().resolve("missing"), null)).getMessage(),
        containsString("cannot read"));
  }

  @Test
  public void noTokensAtAllIsRefused() throws Exception {
    Path empty = tmp.newFile("tokens").toPath();
    Files.writeString(empty, "# nobody yet\n");
    QueryException e = assertThrows(QueryException.class, () -> AccessTokens.load(empty, " "));
    assertEquals("tokens", e.parameter());
    assertThat(e.getMessage(), containsString(AccessTokens.ENVIRONMENT_VARIABLE));
  }

  @Test
  public void onlyLivemetricsTokensCanBeHashed() {
    for (String notOurs : new String[] {"short", "reader-1234-token-aaaa-long-enough",
        "lm_reader1234tokenAAAAAAAAAAAAAAA0cRlNX", "has a space in it, sadly"}) {
      QueryException e = assertThrows(notOurs, QueryException.class,
          () -> AccessTokens.entryLine(notOurs, "1"));
      assertEquals("hash-token", e.parameter());
      assertThat(e.getMessage(), containsString("--new-token"));
    }
    assertThrows(QueryException.class, () -> AccessTokens.entryLine(TOKEN_1234, "1234;5"));
    assertNotEquals(AccessTokens.entryLine(TOKEN_1234, "1"), AccessTokens.entryLine(TOKEN_ALL, "1"));
  }
}
