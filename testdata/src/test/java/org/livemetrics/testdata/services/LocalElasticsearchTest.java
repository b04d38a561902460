package org.livemetrics.testdata.services;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Optional;
import org.junit.Test;

/** The server really starts, really is Elasticsearch, and is really gone after close(). */
public class LocalElasticsearchTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(url + ": " + r.body(), 200, r.statusCode());
    return MAPPER.readTree(r.body());
  }

  @Test
  public void startsAnEmptySingleNodeClusterAndStopsItsJvmOnClose() throws Exception {
    LocalElasticsearch es = new LocalElasticsearch();
    long pid;
    try {
      long started = System.nanoTime();
      es.start();
      System.out.printf("Elasticsearch %s started in %.1f s%n", LocalElasticsearch.VERSION,
          (System.nanoTime() - started) / 1e9);

      JsonNode root = get(es.endpoint() + "/");
      assertEquals(LocalElasticsearch.VERSION, root.path("version").path("number").asText());
      JsonNode health = get(es.endpoint() + "/_cluster/health");
      assertEquals(1, health.path("number_of_nodes").asInt());
      assertEquals(0, get(es.endpoint() + "/_cat/indices?format=json").size());

      Iterator<JsonNode> nodes = get(es.endpoint() + "/_nodes/_local/process").path("nodes")
          .elements();
      pid = nodes.next().path("process").path("id").asLong();
      Optional<ProcessHandle> jvm = ProcessHandle.of(pid);
      assertTrue("the server's JVM " + pid + " runs", jvm.isPresent() && jvm.get().isAlive());
      assertTrue(es.workDir().resolve("data").toFile().isDirectory());
    } finally {
      es.close();
    }
    assertFalse("the server's JVM " + pid + " is gone after close()",
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", es.port()), 500);
      throw new AssertionError("port " + es.port() + " still accepts connections");
    } catch (java.io.IOException expected) {
      // closed
    }
  }
}
