package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The IDE metadata the build generates into the jar (target/classes), as an IDE reads it. */
class ConfigurationMetadataTest {

  private static JsonNode metadata;

  @BeforeAll
  static void readGeneratedMetadata() {
    Path file = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
    metadata = JsonMapper.builder().build().readTree(file.toFile());
  }

  @Test
  void theStepHasADefaultAndADescriptionThatExplainsTheFormatDependentDefault() {
    JsonNode step = property("spectator.step");
    assertThat(step.path("defaultValue").asString()).isEqualTo("1m");
    assertThat(step.path("description").asString()).contains("1m for the publish API").contains("5s for the aggregator")
        .contains("/api/v4/update");
  }

  @Test
  void theCommonTagKeysHintEveryNfKeyAtlasAcceptsWithADescription() {
    JsonNode hint = hint("spectator.common-tags.keys");
    List<String> values = new ArrayList<>();
    for (JsonNode value : hint.path("values")) {
      values.add(value.path("value").asString());
      assertThat(value.path("description").asString()).as("description of %s", value).isNotBlank();
    }
    assertThat(values).containsExactlyInAnyOrderElementsOf(SpectatorPropertiesValidator.NF_KEYS);
  }

  @Test
  void everyPropertyHasADescription() {
    for (JsonNode property : metadata.path("properties")) {
      assertThat(property.path("description").asString()).as("description of %s", property.path("name")).isNotBlank();
    }
  }

  private static JsonNode property(String name) {
    return find("properties", name);
  }

  private static JsonNode hint(String name) {
    return find("hints", name);
  }

  private static JsonNode find(String section, String name) {
    for (JsonNode node : metadata.path(section)) {
      if (name.equals(node.path("name").asString())) {
        return node;
      }
    }
    throw new AssertionError("no " + section + " entry named " + name + " in " + metadata);
  }
}
