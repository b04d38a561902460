package org.livemetrics.testdata.services;

import org.junit.rules.ExternalResource;

/** A {@link LocalServer} as a JUnit rule: started before the test (or class), stopped after. */
public final class ServerRule<S extends LocalServer> extends ExternalResource {
  private final S server;

  private ServerRule(S server) {
    this.server = server;
  }

  public static <S extends LocalServer> ServerRule<S> of(S server) {
    return new ServerRule<>(server);
  }

  public S server() {
    return server;
  }

  @Override
  protected void before() {
    server.start();
  }

  @Override
  protected void after() {
    server.close();
  }
}
