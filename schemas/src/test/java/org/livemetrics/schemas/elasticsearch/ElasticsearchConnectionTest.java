package org.livemetrics.schemas.elasticsearch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.Test;

/** Addresses and failures; calls to a real node are tested where a local Elasticsearch runs. */
public class ElasticsearchConnectionTest {

  @Test
  public void nodesWithoutASchemeTakeTheFirstOnes() {
    ElasticsearchConnection c =
        ElasticsearchConnection.parse("https://es1.example:9200, es2.example:9201,");
    assertEquals(List.of(URI.create("https://es1.example:9200"),
        URI.create("https://es2.example:9201")), c.nodes());
  }

  @Test
  public void credentialsNeverGoInUrlsNorInMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchConnection.parse("http://elastic:secret@es1:9200", null, null));
    assertThat(e.getMessage(), containsString("'http://es1:9200' must not hold credentials"));
    assertThat(e.getMessage(), containsString(ElasticsearchConnection.USERNAME_ENV));
    assertThat(e.getMessage(), not(containsString("secret")));

    e = assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchConnection.parse("ftp://elastic:secret@es1:9200"));
    assertEquals("Elasticsearch URL 'ftp://es1:9200' must start with http:// or https://",
        e.getMessage());
  }

  @Test
  public void addressesThatAreNoNodesAreRefusedByName() {
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchConnection.parse("localhost:9200")).getMessage(),
        containsString("'localhost:9200' must start with http:// or https://"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchConnection.parse("http://es1:9200/_search?q=x")).getMessage(),
        containsString("must be a node's address only"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchConnection.parse("http://es1:9200/proxy")).getMessage(),
        containsString("without a path"));
    assertEquals(List.of(URI.create("http://es1:9200")),
        ElasticsearchConnection.parse("http://es1:9200/").nodes());
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchConnection.parse(" , ")).getMessage(),
        containsString("no Elasticsearch URL"));
  }

  @Test
  public void anUnreachableClusterNamesEveryNodeTried() throws IOException {
    int closed1 = closedPort();
    int closed2 = closedPort();
    ElasticsearchConnection c = ElasticsearchConnection.parse(
        "http://127.0.0.1:" + closed1 + ",http://127.0.0.1:" + closed2);
    IOException e = assertThrows(IOException.class, () -> c.get("/"));
    assertThat(e.getMessage(), containsString("Elasticsearch is unreachable for GET /"));
    assertThat(e.getMessage(), containsString("http://127.0.0.1:" + closed1 + " ("));
    assertThat(e.getMessage(), containsString("http://127.0.0.1:" + closed2 + " ("));
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
