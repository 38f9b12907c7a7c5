package io.dqlite.packaging;

import io.dqlite.packaging.ChartRender.ValueSet;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart rendered under each value set equals its committed golden file; a template change shows
 * up as a reviewable diff. Refresh with {@code make helm-render} (docs/packaging.md).
 */
class HelmGoldenTest {

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void renderMatchesGoldenFile(ValueSet values) throws IOException {
    Generated.check(values.goldenFile(), ChartRender.render(values));
  }
}
