package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/jdbc.md documents every connection property and every SQLSTATE the driver uses. */
class JdbcDocsTest {

  private static String docs() throws IOException {
    Path path = Path.of("../docs/jdbc.md");
    if (!Files.exists(path)) {
      path = Path.of("docs/jdbc.md");
    }
    return Files.readString(path);
  }

  @Test
  void everyPropertyIsInThePropertiesTableWithItsDefault() throws IOException {
    String docs = docs();
    for (DqliteProperty p : DqliteProperty.values()) {
      String row = "| `" + p.key() + "` | ";
      assertThat(docs).as("row for %s", p.key()).contains(row);
      String expected = p.defaultValue() == null ? "(none)" : p.defaultValue();
      int at = docs.indexOf(row) + row.length();
      assertThat(docs.substring(at)).as("default of %s", p.key()).contains(expected);
      assertThat(docs.substring(at, docs.indexOf('\n', at))).contains(expected);
    }
  }

  @Test
  void everySqlStateIsListed() throws IOException {
    String docs = docs();
    for (DqliteSqlState s : DqliteSqlState.values()) {
      assertThat(docs).as("SQLSTATE %s", s.state()).contains("`" + s.state() + "`");
    }
  }
}
