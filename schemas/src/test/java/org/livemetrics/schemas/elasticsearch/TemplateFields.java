package org.livemetrics.schemas.elasticsearch;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.TreeSet;

/** Checks shared by the document formats' tests: the template maps what documents hold. */
final class TemplateFields {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private TemplateFields() {}

  static JsonNode parsed(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /**
   * The template of {@code prefix} is strict, matches {@code prefix-*}, declares the alias {@code
   * prefix}, and maps exactly the union of the fields of {@code documents}; returns its properties.
   */
  static JsonNode checkTemplate(DocumentFormat<?> format, String prefix, Iterable<String> documents) {
    JsonNode template = parsed(format.indexTemplate(prefix));
    assertEquals("[\"" + prefix + "-*\"]", template.get("index_patterns").toString());
    JsonNode body = template.get("template");
    assertEquals("{\"" + prefix + "\":{}}", body.get("aliases").toString());
    JsonNode mappings = body.get("mappings");
    assertEquals("strict", mappings.get("dynamic").asText());
    Set<String> written = new TreeSet<>();
    for (String doc : documents) {
      parsed(doc).fieldNames().forEachRemaining(written::add);
    }
    Set<String> mapped = new TreeSet<>();
    mappings.get("properties").fieldNames().forEachRemaining(mapped::add);
    assertEquals(written, mapped);
    return mappings.get("properties");
  }
}
