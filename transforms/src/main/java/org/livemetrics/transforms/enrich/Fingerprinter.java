package org.livemetrics.transforms.enrich;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.PlayerEvent;

/**
 * The Brightcove device fingerprint (remote IP + User-Agent + player) as a keyed hash, so raw IP
 * addresses and user agents never leave the parsing step: the first 64 bits of
 * HMAC-SHA256(secret, ip NUL user_agent NUL player).
 *
 * <p>When both the IP and the user agent are missing, the fingerprint is taken from {@code user_id}
 * (else {@code session_id}) instead, so viewers without edge data are not all counted as one device.
 *
 * <p>Not thread-safe (one {@link Mac} per instance): use one per DoFn instance.
 */
public final class Fingerprinter {
  private static final byte SEP = 0;
  // Players report about once a minute, so the same device is hashed again and again: remember
  // recent ones (bounded; cleared when full).
  private static final int CACHE_LIMIT = 100_000;
  private final java.util.HashMap<Device, Long> cache = new java.util.HashMap<>();

  /** The cache's key: the three fields as they are, not copied into one string. */
  private record Device(@Nullable String ip, @Nullable String userAgent, @Nullable String player) {}
  private final Mac mac;

  public Fingerprinter(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "No fingerprint secret: set --fingerprintSecret or the LIVEMETRICS_FINGERPRINT_SECRET "
              + "environment variable (the same value in every job whose results are compared).");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public long fingerprint(
      @Nullable String ip,
      @Nullable String userAgent,
      @Nullable String player,
      @Nullable String userId,
      String sessionId) {
    if (isEmpty(ip) && isEmpty(userAgent)) {
      if (!isEmpty(userId)) {
        return hash("user", userId, null);
      }
      return hash("session", sessionId, null);
    }
    Device key = new Device(ip, userAgent, player);
    Long cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    long fingerprint = hash(ip, userAgent, player);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(key, fingerprint);
    return fingerprint;
  }

  /** A 64-bit key for the (fingerprint, session) pair that {@code ccu} counts. */
  public static long sessionKey(long fingerprint, String sessionId) {
    return PlayerEvent.sessionKey(fingerprint, sessionId);
  }

  private long hash(@Nullable String a, @Nullable String b, @Nullable String c) {
    update(a);
    mac.update(SEP);
    update(b);
    mac.update(SEP);
    update(c);
    return ByteBuffer.wrap(mac.doFinal()).getLong();
  }

  private void update(@Nullable String s) {
    if (s != null) {
      mac.update(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static boolean isEmpty(@Nullable String s) {
    return s == null || s.isEmpty();
  }
}
