package io.dqlite.compat;

import static org.assertj.core.api.Assertions.assertThat;

import example.flyway.FlywayExample;
import example.hibernate.HibernateExample;
import example.jooq.JooqExample;
import example.spring.SpringExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples under examples/ (module dqlite-examples) run, and do what they say. */
@ExtendWith(ThreeNodes.Extension.class)
class ExamplesIT {

  @Test
  void hibernate(ThreeNodes cluster) {
    assertThat(HibernateExample.run(cluster.url("example_hibernate")))
        .matches("hibernate: account \\d+ of ada holds 125.5+ \\(version 1\\)");
  }

  @Test
  void jooq(ThreeNodes cluster) {
    assertThat(JooqExample.run(cluster.url("example_jooq"))).isEqualTo("jooq: 12 widgets in stock");
  }

  @Test
  void spring(ThreeNodes cluster) {
    assertThat(SpringExample.run(cluster.url("example_spring")))
        .isEqualTo("spring: /home visited 3 times");
  }

  @Test
  void flyway(ThreeNodes cluster) {
    String url = cluster.url("example_flyway");
    assertThat(FlywayExample.run(url))
        .isEqualTo("flyway: applied 2 migrations, schema at version 2");
    assertThat(FlywayExample.run(url))
        .isEqualTo("flyway: applied 0 migrations, schema at version 2");
  }
}
