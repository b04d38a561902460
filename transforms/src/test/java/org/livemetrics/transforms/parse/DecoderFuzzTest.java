package org.livemetrics.transforms.parse;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.joda.time.Duration;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventContract;

/**
 * Fuzzes the decoder with random bytes and with valid records mutated byte by byte: whatever comes
 * in, no exception leaves {@link PlayerEventDecoder#decode} (so none can leave the DoFn around it),
 * every event it emits satisfies the contract, and every dead letter is bounded.
 */
class DecoderFuzzTest {
  private static final String VALID =
      "{\"metric_type\":\"PLAYBACK_SUMMARY\",\"event_time\":1763787600000,\"channel_watched\":\"5555\","
          + "\"session_id\":\"s1\",\"account_id\":\"acct\",\"client_platform\":\"web\",\"is_live\":true,"
          + "\"playing_time_ms\":58000,\"buffering_time_ms\":\"3000\",\"buffering_count\":2,"
          + "\"rendition_name\":\"720p\",\"live_latency_sec\":\"4.2\",\"CloudFront-Viewer-Country\":\"us\","
          + "\"CloudFront-Is-Mobile-Viewer\":\"true\",\"ip\":\"10.0.0.1\",\"user_agent\":\"Mozilla/5.0\","
          + "\"player\":\"p1\",\"extra\":{\"a\":[1,2,{\"b\":null}]}}";

  private final PlayerEventDecoder decoder = new PlayerEventDecoder("secret", "acct",
      ArrivalRule.of(Duration.standardMinutes(10), 1));

  @Property(tries = 3000)
  void randomBytesNeverEscape(@ForAll @Size(max = 600) byte[] payload) {
    check(payload);
  }

  @Property(tries = 5000)
  void mutatedRecordsNeverEscape(@ForAll("mutated") byte[] payload) {
    check(payload);
  }

  @Property(tries = 2000)
  void mutatedBatchesNeverEscape(@ForAll("batches") byte[] payload) {
    check(payload);
  }

  @Property(tries = 2000)
  void encodingTrapsNeverEscape(@ForAll("encodingTraps") byte[] payload) {
    check(payload);
  }

  /**
   * Random bytes behind the prefixes that make Jackson guess another encoding (BOMs, zero bytes of
   * UTF-16 and UTF-32 in every order), first or after a good line: where the fuzzer found both of
   * the decoder's defects.
   */
  @Provide
  Arbitrary<byte[]> encodingTraps() {
    byte[][] prefixes = {{0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE, 0, 0},
        {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        {0, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, '{'}, {'{', 0, 0, 0}, {0, '{'}, {'{', 0}};
    return Combinators.combine(Arbitraries.of(prefixes), Arbitraries.bytes().array(byte[].class)
            .ofMaxSize(64), Arbitraries.of(true, false))
        .as((prefix, rest, afterGoodLine) -> {
          byte[] head = afterGoodLine ? (VALID + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0];
          byte[] out = new byte[head.length + prefix.length + rest.length];
          System.arraycopy(head, 0, out, 0, head.length);
          System.arraycopy(prefix, 0, out, head.length, prefix.length);
          System.arraycopy(rest, 0, out, head.length + prefix.length, rest.length);
          return out;
        });
  }

  /** Valid records, a few of them concatenated, with bytes replaced, inserted and dropped. */
  @Provide
  Arbitrary<byte[]> mutated() {
    byte[] base = VALID.getBytes(StandardCharsets.UTF_8);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, base.length - 1);
    Arbitrary<Byte> interesting = Arbitraries.of((byte) '"', (byte) '\\', (byte) '{', (byte) '}',
        (byte) '[', (byte) ']', (byte) ',', (byte) ':', (byte) '\n', (byte) 0, (byte) 0xED,
        (byte) 0xA0, (byte) 0x80, (byte) 0xFF, (byte) 'e', (byte) '9', (byte) '-', (byte) 'u');
    Arbitrary<Byte> anyByte = Arbitraries.oneOf(interesting, Arbitraries.bytes());
    Arbitrary<int[]> edit = Combinators.combine(position, anyByte, Arbitraries.integers().between(0, 2))
        .as((p, b, kind) -> new int[] {p, b, kind});
    return edit.list().ofMinSize(1).ofMaxSize(8).map(edits -> {
      List<Byte> bytes = new ArrayList<>();
      for (byte b : base) {
        bytes.add(b);
      }
      for (int[] e : edits) {
        int p = Math.min(e[0], bytes.size() - 1);
        switch (e[2]) {
          case 0 -> bytes.set(p, (byte) e[1]);
          case 1 -> bytes.add(p, (byte) e[1]);
          default -> bytes.remove(p);
        }
        if (bytes.isEmpty()) {
          bytes.add((byte) '{');
        }
      }
      byte[] out = new byte[bytes.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = bytes.get(i);
      }
      return out;
    });
  }

  /** Mutated records with valid ones around them, newline-delimited, concatenated or in arrays. */
  @Provide
  Arbitrary<byte[]> batches() {
    return Combinators.combine(mutated(), Arbitraries.of("\n", "", " ", ",", "]\n["))
        .as((m, sep) -> {
          String s = "[" + VALID + "]" + sep + new String(m, StandardCharsets.ISO_8859_1) + sep + VALID;
          return s.getBytes(StandardCharsets.ISO_8859_1);
        });
  }

  private void check(byte[] payload) {
    CollectedOutput out = new CollectedOutput();
    try {
      decoder.decode(new RawRecord("fuzz", 1, payload, 1763787600000L + 1000), out);
    } catch (Exception e) {
      throw new AssertionError("decode threw on " + new String(payload, StandardCharsets.ISO_8859_1), e);
    }
    for (String why : out.rejected) {
      assertTrue(why, why.length() <= 600);
      assertNull(why, PlayerEventContract.checkCharacters(why));
    }
    for (PlayerEvent e : out.events) {
      for (String s : new String[] {e.account, e.video, e.sessionId, e.userId, e.clientPlatform,
          e.renditionName, e.fromRenditionName, e.toRenditionName, e.stepDirection}) {
        if (s != null) {
          assertNull(s, PlayerEventContract.checkCharacters(s));
        }
      }
      if (e.playingTimeMs != null) {
        assertTrue("" + e.playingTimeMs, e.playingTimeMs >= 0 && e.playingTimeMs <= 86_400_000L);
      }
    }
    for (RejectedRecord r : out.records) {
      assertTrue(r.getRecord(),
          r.getRecord().getBytes(StandardCharsets.UTF_8).length <= RejectedRecord.MAX_KEPT_BYTES);
      assertTrue(r.getRecord(), r.getRecordBytes() <= payload.length);
    }
  }
}
