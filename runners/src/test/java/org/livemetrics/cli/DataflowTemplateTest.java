package org.livemetrics.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Validation;
import org.junit.Test;
import org.livemetrics.pipelines.streaming.StreamingPipeline;

/**
 * The Dataflow Flex Template's metadata (runners/dataflow/livemetrics-streaming-metadata.json)
 * against the streaming job's options, read from the code: every livemetrics option is a described
 * parameter, every parameter is an option, and each option's default passes its parameter's
 * regexes. An option added to the code without metadata fails here.
 */
public class DataflowTemplateTest {
  private static final Path DATAFLOW = Path.of(System.getProperty("basedir", "."), "dataflow");
  /** Options that mean nothing on Dataflow, and why: they are not template parameters. */
  private static final Map<String, String> NOT_ON_DATAFLOW = Map.of(
      "prometheusPort", "Flink's Prometheus reporter; Dataflow reports Beam metrics itself",
      "checkpointDir", "Flink's checkpoint storage; Dataflow keeps the job's state itself");

  private static JsonNode metadata() throws Exception {
    return new ObjectMapper().readTree(DATAFLOW.resolve("livemetrics-streaming-metadata.json").toFile());
  }

  /** Option name to its getter, for every option of the job (Beam's included). */
  private static Map<String, Method> options() {
    Map<String, Method> all = new TreeMap<>();
    for (Method m : StreamingPipeline.Options.class.getMethods()) {
      String n = m.getName();
      if (m.getParameterCount() == 0 && (n.startsWith("get") && n.length() > 3 || n.startsWith("is") && n.length() > 2)) {
        all.putIfAbsent(Introspector.decapitalize(n.substring(n.startsWith("get") ? 3 : 2)), m);
      }
    }
    return all;
  }

  private static Map<String, JsonNode> parameters() throws Exception {
    Map<String, JsonNode> params = new TreeMap<>();
    for (JsonNode p : metadata().get("parameters")) {
      assertTrue("duplicate parameter " + p.get("name"), params.put(p.get("name").asText(), p) == null);
    }
    return params;
  }

  @Test
  public void everyLivemetricsOptionIsAParameter() throws Exception {
    Set<String> missing = new TreeSet<>();
    options().forEach((name, getter) -> {
      if (getter.getDeclaringClass().getName().startsWith("org.livemetrics.")) {
        missing.add(name);
      }
    });
    assertTrue("sanity: the job has livemetrics options", missing.contains("kinesisStream"));
    missing.removeAll(parameters().keySet());
    missing.removeAll(NOT_ON_DATAFLOW.keySet());
    assertEquals("options of StreamingPipeline.Options without Flex Template metadata", Set.of(), missing);
    for (String name : NOT_ON_DATAFLOW.keySet()) {
      assertFalse(name + " is not for Dataflow", parameters().containsKey(name));
    }
  }

  @Test
  public void everyParameterIsAnOptionOfTheJob() throws Exception {
    Set<String> unknown = new TreeSet<>(parameters().keySet());
    unknown.removeAll(options().keySet());
    assertEquals("parameters that are no option of StreamingPipeline.Options", Set.of(), unknown);
  }

  @Test
  public void everyParameterIsDescribed() throws Exception {
    for (Map.Entry<String, JsonNode> e : parameters().entrySet()) {
      JsonNode p = e.getValue();
      assertFalse(e.getKey() + ": label", p.path("label").asText().isBlank());
      assertFalse(e.getKey() + ": helpText", p.path("helpText").asText().isBlank());
      assertTrue(e.getKey() + ": isOptional", p.has("isOptional"));
      Method getter = options().get(e.getKey());
      if (getter.isAnnotationPresent(Validation.Required.class)) {
        assertFalse(e.getKey() + " is required by the code", p.get("isOptional").asBoolean());
      }
    }
    // Required on Dataflow though not in the code: the stream, and the secret (no environment there).
    assertFalse(parameters().get("kinesisStream").get("isOptional").asBoolean());
    assertFalse(parameters().get("fingerprintSecret").get("isOptional").asBoolean());
  }

  @Test
  public void defaultsPassTheirRegexes() throws Exception {
    int checked = 0;
    for (Map.Entry<String, JsonNode> e : parameters().entrySet()) {
      Optional<String> value = defaultOf(options().get(e.getKey()));
      if (value.isEmpty() || value.get().isEmpty() || !e.getValue().has("regexes")) {
        continue;
      }
      for (JsonNode regex : e.getValue().get("regexes")) {
        assertTrue(e.getKey() + " default " + value.get() + " vs " + regex.asText(),
            Pattern.compile(regex.asText()).matcher(value.get()).matches());
      }
      checked++;
    }
    assertTrue("sanity: durations, counts and the index prefix have defaults", checked >= 10);
  }

  @Test
  public void regexesRejectWhatTheJobRejects() throws Exception {
    Map<String, JsonNode> p = parameters();
    assertFalse(matches(p.get("streamId"), "prod-1"));
    assertFalse(matches(p.get("allowedLateness"), "10 minutes"));
    assertFalse(matches(p.get("output"), "/tmp/store"));
    assertTrue(matches(p.get("output"), "gs://bucket/store"));
    assertTrue(matches(p.get("maxSummarySpan"), "300s"));
  }

  private static boolean matches(JsonNode param, String value) {
    for (JsonNode regex : param.get("regexes")) {
      if (!Pattern.compile(regex.asText()).matcher(value).matches()) {
        return false;
      }
    }
    return true;
  }

  private static Optional<String> defaultOf(Method getter) {
    if (getter.isAnnotationPresent(Default.String.class)) {
      return Optional.of(getter.getAnnotation(Default.String.class).value());
    } else if (getter.isAnnotationPresent(Default.Integer.class)) {
      return Optional.of(String.valueOf(getter.getAnnotation(Default.Integer.class).value()));
    } else if (getter.isAnnotationPresent(Default.Long.class)) {
      return Optional.of(String.valueOf(getter.getAnnotation(Default.Long.class).value()));
    }
    return Optional.empty();
  }

  @Test
  public void theTemplateMainDefaultsToTheDataflowRunner() {
    // The test classpath has no DataflowRunner, as the default jar: the error says how to get it.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataflowStreaming.options(new String[] {"--kinesisStream=s", "--output=/tmp/x"}));
    assertThat(e.getMessage(), containsString("-Pdataflow"));
    assertEquals(DirectRunner.class, DataflowStreaming.options(
        new String[] {"--runner=DirectRunner", "--kinesisStream=s"}).getRunner());
  }
}
