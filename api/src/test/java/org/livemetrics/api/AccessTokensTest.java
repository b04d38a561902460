package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.QueryException;

/** The token file format, hashing and matching. Hashes were computed with sha256sum. */
public class AccessTokensTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  // printf %s reader-1234-token-aaaa | sha256sum
  private static final String HASH_1234 =
      "ddf6ae2f86c4c2762cc02205a10d0a4083d52afc179f0e102cb281a84332d757";
  // printf %s reader-all-token-bbbbbb | sha256sum
  private static final String HASH_ALL =
      "38e4c5201c867c2c8f16e0a9fd0be17cad75c3a6e6361dafbd01ee28c816ec41";

  @Test
  public void entryLineIsTheSha256OfTheToken() {
    assertEquals("sha256:" + HASH_1234 + " 1234",
        AccessTokens.entryLine("reader-1234-token-aaaa", "1234"));
    assertEquals("sha256:" + HASH_ALL + " *",
        AccessTokens.entryLine("reader-all-token-bbbbbb", "*"));
  }

  @Test
  public void aFileGrantsItsAccountsAndTheWildcardGrantsAll() throws Exception {
    Path file = tmp.newFile("tokens").toPath();
    Files.writeString(file, String.join("\n",
        "# API tokens",
        "",
        "sha256:" + HASH_1234 + "   1234,5678   # the 1234 team",
        "SHA256:".toLowerCase() + HASH_ALL.toUpperCase() + "\t*"), StandardCharsets.UTF_8);
    AccessTokens tokens = AccessTokens.load(file, null);
    assertEquals(2, tokens.size());
    AccessTokens.Grant team = tokens.authenticate("reader-1234-token-aaaa").orElseThrow();
    assertEquals(new AccessTokens.Grant(false, Set.of("1234", "5678")), team);
    assertTrue(team.mayRead("5678"));
    assertFalse(team.mayRead("9999"));
    assertFalse(team.mayRead("*"));
    assertTrue(tokens.authenticate("reader-all-token-bbbbbb").orElseThrow().mayRead("9999"));
    assertEquals(Optional.empty(), tokens.authenticate("reader-1234-token-aaab"));
    assertEquals(Optional.empty(), tokens.authenticate(""));
    // The file holds hashes: the hash itself is not a token.
    assertEquals(Optional.empty(), tokens.authenticate("sha256:" + HASH_1234));
  }

  @Test
  public void theEnvironmentVariableTakesSemicolonsOrNewlinesAndAddsToTheFile() throws Exception {
    AccessTokens env = AccessTokens.load(null,
        "sha256:" + HASH_1234 + " 1234; sha256:" + HASH_ALL + " *\n");
    assertEquals(2, env.size());
    Path file = tmp.newFile("tokens").toPath();
    Files.writeString(file, "sha256:" + HASH_1234 + " 1234\n");
    AccessTokens both = AccessTokens.load(file, "sha256:" + HASH_ALL + " *");
    assertEquals(2, both.size());
    assertTrue(both.authenticate("reader-all-token-bbbbbb").isPresent());
  }

  @Test
  public void malformedEntriesAreRefusedSayingWhere() throws Exception {
    Path file = tmp.newFile("tokens").toPath();
    Files.writeString(file, "# ok\nreader-1234-token-aaaa 1234\n");
    QueryException plain = assertThrows(QueryException.class, () -> AccessTokens.load(file, null));
    assertEquals("tokens", plain.parameter());
    assertThat(plain.getMessage(), containsString("entry 2"));
    assertThat(plain.getMessage(), containsString("stored hashed"));

    assertThat(assertThrows(QueryException.class, () -> AccessTokens.load(null,
        "sha256:" + HASH_1234)).getMessage(), containsString("one list of accounts"));
    assertThat(assertThrows(QueryException.class, () -> AccessTokens.load(null,
        "sha256:" + HASH_1234 + " 1234,,5")).getMessage(), containsString("bad account list"));
    assertThat(assertThrows(QueryException.class, () -> AccessTokens.load(null,
        "sha256:" + HASH_1234 + " 1234,*")).getMessage(), containsString("* alone"));
    assertThat(assertThrows(QueryException.class, () -> AccessTokens.load(null,
        "sha256:abc 1234")).getMessage(), containsString("64 hex digits"));
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
  public void shortOrUnprintableTokensCannotBeHashed() {
    assertThat(assertThrows(QueryException.class,
        () -> AccessTokens.entryLine("short", "1")).getMessage(), containsString("at least 16"));
    assertThrows(QueryException.class,
        () -> AccessTokens.entryLine("has a space in it, sadly", "1"));
    assertThrows(QueryException.class,
        () -> AccessTokens.entryLine("reader-1234-token-aaaa", "1234;5"));
  }

  @Test
  public void newTokensAreRandomAndLongEnough() {
    String a = AccessTokens.newToken();
    String b = AccessTokens.newToken();
    assertEquals(43, a.length());
    assertFalse(a.equals(b));
    assertTrue(a.matches("[A-Za-z0-9_-]+"));
  }
}
