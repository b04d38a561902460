package org.livemetrics.transforms.sessions;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.enrich.Fingerprinter;

/**
 * Who a session belongs to: the account and the (fingerprint, session id) key, exactly as the QoS
 * {@code concurrent_sessions} counts sessions ({@link Fingerprinter#sessionKey}). The same key may
 * hold several sessions over time (split at STOP and at gaps): the windows tell them apart.
 */
@DefaultCoder(SessionId.Coder.class)
public record SessionId(String account, long sessionKey) implements Serializable {

  public static SessionId of(PlayerEvent e) {
    return new SessionId(e.account, Fingerprinter.sessionKey(e.fingerprint, e.sessionId));
  }

  /** Deterministic coder, so sessions can be grouped on. */
  public static final class Coder extends AtomicCoder<SessionId> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What {@code @DefaultCoder} looks for. */
    public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
      return org.apache.beam.sdk.coders.CoderProviders.forCoder(
          org.apache.beam.sdk.values.TypeDescriptor.of(SessionId.class), INSTANCE);
    }

    @Override
    public void encode(SessionId id, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(id.account);
      out.writeLong(id.sessionKey);
    }

    @Override
    public SessionId decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new SessionId(in.readUTF(), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
