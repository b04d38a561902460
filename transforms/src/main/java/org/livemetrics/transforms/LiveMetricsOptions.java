package org.livemetrics.transforms;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the shared metric logic, common to the backfill and the streaming pipeline. */
public interface LiveMetricsOptions extends PipelineOptions {
  @Description(
      "Secret key of the device fingerprint (HMAC-SHA256 of ip, user agent and player). Defaults to "
          + "the LIVEMETRICS_FINGERPRINT_SECRET environment variable. Jobs whose results are "
          + "compared or merged must use the same secret.")
  @Default.InstanceFactory(SecretFromEnvironment.class)
  String getFingerprintSecret();

  void setFingerprintSecret(String value);

  @Description("Account of events that carry no account_id.")
  @Default.String("default")
  String getDefaultAccount();

  void setDefaultAccount(String value);

  @Description(
      "Longest span a PLAYBACK_SUMMARY may mark as viewing before its event_time (ISO-8601 like "
          + "PT5M, or 300s / 5m). Longer spans are clamped and counted in summary_span_clamped.")
  @Default.String("PT5M")
  String getMaxSummarySpan();

  void setMaxSummarySpan(String value);

  @Description(
      "How far a player's event_time may run ahead of the end of the hour the event arrived in "
          + "(ISO-8601 like PT10M). Events stamped further ahead are dead letters (clock_skew); the "
          + "backfill reads the archive partitions this far before its range for the events within.")
  @Default.String("PT10M")
  String getMaxClockSkew();

  void setMaxClockSkew(String value);

  @Description(
      "How many arrival-hour partitions after a range the backfill reads, for events that arrived "
          + "late (their event_time decides the minute they count in). An event that arrives more "
          + "hours after its own than this is a dead letter (too_late), in the backfill and the "
          + "stream alike, so that no event is counted by no range without a trace. Keep it the "
          + "same for every run over one archive.")
  @Default.Integer(1)
  int getLatePartitions();

  void setLatePartitions(int value);

  @Description(
      "A viewing session ends at its STOP or after this long without any of its events (ISO-8601 "
          + "like PT3M, or 180s / 3m); its outcome (exits before video start, playback failure, "
          + "rebuffering) counts in the minute of its last event. Players send a PLAYBACK_SUMMARY "
          + "about every 61 s while playing, so the default of three minutes outlasts one lost "
          + "summary (a 2-minute silence) and ends a session after two. Streaming: must not "
          + "exceed --allowedLateness plus --maxSummarySpan, how long a minute's row accepts a "
          + "session's late outcome.")
  @Default.String("PT3M")
  String getSessionGap();

  void setSessionGap(String value);

  /** Reads the secret from the environment so it need not appear on a command line. */
  class SecretFromEnvironment implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      String env = System.getenv("LIVEMETRICS_FINGERPRINT_SECRET");
      return env == null ? "" : env;
    }
  }
}
