package org.livemetrics.query;

import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The IVS channels a request may see: every channel ({@link #ALL}, the all-accounts view), or the
 * channels of some AWS accounts and those whose ARN starts with one of some prefixes ({@link
 * ChannelOwners#scopeOf}). Stores push it into their reads (Elasticsearch: a bool filter of
 * {@code term}/{@code regexp}/{@code prefix} clauses) and check it per row ({@link #contains}).
 *
 * @param all every channel, whatever its ARN
 * @param awsAccounts 12-digit AWS account ids: a channel whose ARN names one is in scope
 * @param arnPrefixes a channel whose ARN starts with one is in scope
 */
public record ChannelScope(boolean all, Set<String> awsAccounts, Set<String> arnPrefixes) {
  /** Every channel, mapped or not: only the path account {@code *} sees it. */
  public static final ChannelScope ALL = new ChannelScope(true, Set.of(), Set.of());
  /** No channel at all: an account that owns none. */
  public static final ChannelScope NONE = new ChannelScope(false, Set.of(), Set.of());

  static final Pattern AWS_ACCOUNT = Pattern.compile("[0-9]{12}");

  public ChannelScope {
    awsAccounts = Set.copyOf(awsAccounts);
    arnPrefixes = Set.copyOf(arnPrefixes);
  }

  /** The channels of one AWS account (as the IVS events name it). */
  public static ChannelScope ofAwsAccount(String awsAccount) {
    return new ChannelScope(false, Set.of(awsAccount), Set.of());
  }

  /** Whether no channel can be in scope: a read can be skipped. */
  public boolean isEmpty() {
    return !all && awsAccounts.isEmpty() && arnPrefixes.isEmpty();
  }

  /** Whether the channel {@code channelArn} is in scope. */
  public boolean contains(@Nullable String channelArn) {
    if (all) {
      return true;
    }
    if (channelArn == null) {
      return false;
    }
    for (String prefix : arnPrefixes) {
      if (channelArn.startsWith(prefix)) {
        return true;
      }
    }
    String account = awsAccountOf(channelArn);
    return account != null && awsAccounts.contains(account);
  }

  /**
   * The AWS account of an ARN, {@code arn:partition:service:region:account:resource}, or null
   * when it is not one.
   */
  static @Nullable String awsAccountOf(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") ? parts[4] : null;
  }
}
